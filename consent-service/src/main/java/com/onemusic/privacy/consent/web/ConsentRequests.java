package com.onemusic.privacy.consent.web;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Past;
import jakarta.validation.constraints.Size;

import com.onemusic.privacy.consent.ledger.ConsentMethod;
import com.onemusic.privacy.consent.ledger.ConsentStatus;
import com.onemusic.privacy.consent.ledger.Guardian;
import com.onemusic.privacy.consent.policy.MaterialChange;

/** The bodies the API accepts. */
final class ConsentRequests {

	private ConsentRequests() {
	}

	/**
	 * A change of several scopes at once.
	 *
	 * @param policyVersion the policy version shown to the user
	 * @param method how the user expressed it
	 * @param sourceSystem the submitting system
	 * @param occurredAt when the user made it (default: now)
	 * @param birthDate the user's birth date, if known (a minor needs a guardian)
	 * @param guardian the guardian consenting for a minor
	 * @param changes the scopes and their new status
	 */
	record ChangeConsents(@NotBlank @Size(max = 32) String policyVersion, @NotNull ConsentMethod method,
			@NotBlank @Size(max = 64) String sourceSystem, Instant occurredAt, @Past LocalDate birthDate,
			@Valid GuardianBody guardian, @NotEmpty List<@Valid @NotNull ScopeStatus> changes) {

	}

	/**
	 * A guardian.
	 *
	 * @param guardianId the guardian's reference
	 * @param relationship the relationship to the minor
	 */
	record GuardianBody(@NotBlank @Size(max = 64) String guardianId, @NotNull Guardian.Relationship relationship) {

		Guardian toGuardian() {
			return new Guardian(this.guardianId, this.relationship);
		}

	}

	/**
	 * One scope's new status.
	 *
	 * @param scope the scope code
	 * @param status granted or withdrawn
	 */
	record ScopeStatus(@NotBlank @Size(max = 64) String scope, @NotNull ConsentStatus status) {

	}

	/**
	 * A new policy version.
	 *
	 * @param version the version name
	 * @param url where it is published
	 * @param effectiveFrom when it comes into force (default: now)
	 * @param materialChanges its material changes (section 10.2)
	 */
	record PublishPolicy(@NotBlank @Size(max = 32) String version, @NotBlank @Size(max = 512) String url,
			Instant effectiveFrom, @NotNull List<@Valid @NotNull MaterialChangeBody> materialChanges) {

	}

	/**
	 * A material change.
	 *
	 * @param kind what changed
	 * @param scopes the scopes it affects
	 * @param summary what changed, for people
	 */
	record MaterialChangeBody(@NotNull MaterialChange.Kind kind, @NotEmpty List<@NotBlank String> scopes,
			@NotBlank @Size(max = 2000) String summary) {

		MaterialChange toChange() {
			return new MaterialChange(this.kind, this.scopes, this.summary);
		}

	}

}
