package com.onemusic.privacy.dsr;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of dsr-service ({@code dsr.*} in {@code dsr-service.yml}).
 *
 * @param workingDays the legal period to answer, in working days after verification
 * @param dueSoonWorkingDays a request with this many working days left or fewer is due
 * soon
 * @param maxExtensionWorkingDays the most working days one extension may add
 * @param erasureParticipants the services every deletion and account closure waits for
 * @param exportParticipants the services whose part of a user's data an access request
 * gathers
 * @param withdrawalParticipants the services a consent withdrawal waits for
 * @param verification identity verification
 * @param calendar the holiday schedules
 * @param controller the data controller named in exports
 * @param maintenanceInterval how often unverified requests are expired and SLA figures
 * refreshed
 */
@Validated
@ConfigurationProperties("dsr")
public record DsrProperties(@DefaultValue("15") @Min(1) int workingDays,
		@DefaultValue("3") @Min(0) int dueSoonWorkingDays,
		@DefaultValue("15") @Min(1) @Max(60) int maxExtensionWorkingDays,
		@NotNull List<@NotBlank String> erasureParticipants, @NotNull List<@NotBlank String> exportParticipants,
		@NotNull List<@NotBlank String> withdrawalParticipants, @Valid @NotNull Verification verification,
		@Valid @DefaultValue Calendar calendar, @NotBlank String controller,
		@DefaultValue("30s") @NotNull Duration maintenanceInterval) {

	/**
	 * Identity verification (policy 8.1.6).
	 *
	 * @param codeLength digits of a one-time code
	 * @param codeTtl how long a code is valid
	 * @param maxAttempts wrong codes allowed before the request is rejected
	 * @param maxCodes codes sent per request at most
	 * @param verifyWithin how long a request may wait for verification before it expires
	 * @param codeSecret the key of the codes' keyed hashes
	 * @param assertion assertions of the account system
	 */
	public record Verification(@DefaultValue("6") @Min(4) @Max(10) int codeLength,
			@DefaultValue("10m") @NotNull Duration codeTtl, @DefaultValue("5") @Min(1) int maxAttempts,
			@DefaultValue("3") @Min(1) int maxCodes, @DefaultValue("72h") @NotNull Duration verifyWithin,
			@NotBlank String codeSecret, @Valid @NotNull Assertion assertion) {

	}

	/**
	 * Assertions of the account system that a request was made in a logged-in session: a
	 * JWT signed with HS256.
	 *
	 * @param issuer the expected {@code iss}
	 * @param audience the expected {@code aud}
	 * @param secret the shared signing key (at least 32 bytes)
	 * @param maxAge how old an assertion may be
	 */
	public record Assertion(@NotBlank String issuer, @DefaultValue("dsr-service") @NotBlank String audience,
			@NotBlank String secret, @DefaultValue("10m") @NotNull Duration maxAge) {

	}

	/**
	 * Holiday schedules beyond those shipped with the service.
	 *
	 * @param directory a directory of {@code <year>.yml} files, or null
	 * @param reloadInterval how often the directory is read again
	 */
	public record Calendar(Path directory, @DefaultValue("1h") @NotNull Duration reloadInterval) {

	}

}
