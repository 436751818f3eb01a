package com.onemusic.privacy.anonymizer;

import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of anonymizer-service ({@code anonymizer.*} in
 * {@code anonymizer-service.yml}).
 *
 * @param masterKey the key that encrypts every user's key: base64 of 32 random bytes,
 * from a Secret in production, never logged
 * @param events the de-identification rule of each field of the raw analytics events;
 * fields not named are dropped
 * @param quasiIdentifiers stored fields that could single a person out together (city,
 * birth year, coordinates...): removed from the user's events on erasure
 * @param profilingScope the consent scope that allows building a user's profile
 */
@Validated
@ConfigurationProperties("anonymizer")
public record AnonymizerProperties(@NotBlank String masterKey, @NotEmpty Map<String, String> events,
		@NotNull List<String> quasiIdentifiers, @NotBlank String profilingScope) {

	@Override
	public String toString() {
		return "AnonymizerProperties[masterKey=(hidden), events=" + this.events + ", quasiIdentifiers="
				+ this.quasiIdentifiers + ", profilingScope=" + this.profilingScope + "]";
	}

}
