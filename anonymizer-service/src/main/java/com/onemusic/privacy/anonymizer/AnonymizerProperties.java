package com.onemusic.privacy.anonymizer;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import com.onemusic.privacy.anonymizer.retention.RetentionSweep;

/**
 * Configuration of anonymizer-service ({@code anonymizer.*} in
 * {@code anonymizer-service.yml}).
 *
 * @param masterKey the key that encrypts every user's key: base64 of 32 random bytes,
 * from a Secret in production, never logged
 * @param retiredMasterKeys master keys user keys may still be encrypted under during a
 * rotation (base64 each); those keys are encrypted again under the master key
 * @param lookupKey the key that names the user keys' documents (base64 of 32 bytes); not
 * set, the master key. It never changes: before the first rotation it is set to the
 * master key of the time
 * @param events the de-identification rule of each field of the raw analytics events;
 * fields not named are dropped
 * @param quasiIdentifiers stored fields that could single a person out together (city,
 * birth year, coordinates...): removed from the user's events on erasure
 * @param profilingScope the consent scope that allows building a user's profile
 * @param retention how long the stored data is kept (policy 7.2)
 */
@Validated
@ConfigurationProperties("anonymizer")
public record AnonymizerProperties(@NotBlank String masterKey, @DefaultValue List<String> retiredMasterKeys,
		String lookupKey, @NotEmpty Map<String, String> events, @NotNull List<String> quasiIdentifiers,
		@NotBlank String profilingScope, @Valid @NotNull Retention retention) {

	@Override
	public String toString() {
		return "AnonymizerProperties[masterKey=(hidden), retiredMasterKeys=(" + this.retiredMasterKeys.size()
				+ " hidden), lookupKey=" + ((this.lookupKey != null) ? "(hidden)" : "(the master key)") + ", events="
				+ this.events + ", quasiIdentifiers=" + this.quasiIdentifiers + ", profilingScope="
				+ this.profilingScope + ", retention=" + this.retention + "]";
	}

	/**
	 * Retention of the stored data.
	 *
	 * @param interval how often the sweep runs
	 * @param batchSize documents handled per batch
	 * @param collections the retention of each collection
	 */
	public record Retention(@DefaultValue("1h") @NotNull Duration interval, @DefaultValue("500") @Min(1) int batchSize,
			@NotNull Map<String, @Valid CollectionRetention> collections) {

	}

	/**
	 * A collection's retention.
	 *
	 * @param period how long a document is kept
	 * @param action DELETE, or ANONYMIZE (pseudonym and quasi-identifiers removed)
	 * @param timeField the field that says when a document was made
	 */
	public record CollectionRetention(@NotNull Duration period, @NotNull RetentionSweep.Action action,
			@NotBlank String timeField) {

	}

}
