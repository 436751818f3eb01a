package com.onemusic.privacy.consent.ledger;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.onemusic.privacy.consent.policy.PolicyHistory;
import com.onemusic.privacy.consent.scope.Scope;
import com.onemusic.privacy.consent.scope.ScopeCatalog;

/**
 * What a consent change must satisfy before it is recorded, and which of the requested
 * changes actually change something.
 */
public final class ConsentRules {

	/** User ids: letters, digits, dot, underscore and hyphen, at most 64. */
	public static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

	/** How far in the future a change may be dated (clock skew of the submitter). */
	static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

	/** Ages are counted in the time zone of the mainland. */
	static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

	private final ScopeCatalog catalog;

	private final int minorAge;

	private final int maxBatchSize;

	public ConsentRules(ScopeCatalog catalog, int minorAge, int maxBatchSize) {
		this.catalog = catalog;
		this.minorAge = minorAge;
		this.maxBatchSize = maxBatchSize;
	}

	/**
	 * Checks a user id.
	 * @param userId the id
	 * @throws ConsentRefused when it is not of the accepted form
	 */
	public static void checkUserId(String userId) {
		if (userId == null || !USER_ID.matcher(userId).matches()) {
			throw new ConsentRefused(ConsentRefused.Reason.INVALID_USER_ID,
					"User ids are 1 to 64 letters, digits, '.', '_' or '-'");
		}
	}

	/**
	 * Checks a command and works out the changes to record.
	 * @param command the command
	 * @param current the user's current state by scope
	 * @param policies the published policy versions
	 * @param knownBirthDate the birth date recorded for the user earlier, or null
	 * @param now the current time
	 * @return the changes that change something; empty when the command repeats the state
	 * @throws ConsentRefused when the command breaks a rule
	 */
	public List<ConsentCommand.Requested> plan(ConsentCommand command, Map<String, ConsentState> current,
			PolicyHistory policies, LocalDate knownBirthDate, Instant now) {
		checkUserId(command.userId());
		if (command.changes().isEmpty()) {
			throw new ConsentRefused(ConsentRefused.Reason.INVALID_BATCH, "No changes were requested");
		}
		if (command.changes().size() > this.maxBatchSize) {
			throw new ConsentRefused(ConsentRefused.Reason.INVALID_BATCH, command.changes().size()
					+ " changes in one request; at most " + this.maxBatchSize + " are accepted");
		}
		checkScopes(command.changes());
		if (policies.find(command.policyVersion()).isEmpty()) {
			throw new ConsentRefused(ConsentRefused.Reason.UNKNOWN_POLICY_VERSION,
					"Policy version '" + command.policyVersion() + "' was never published",
					List.of(String.valueOf(command.policyVersion())));
		}
		if (command.occurredAt().isAfter(now.plus(MAX_CLOCK_SKEW))) {
			throw new ConsentRefused(ConsentRefused.Reason.INVALID_TIME,
					"The change is dated " + command.occurredAt() + ", in the future");
		}
		boolean grants = command.changes().stream().anyMatch((change) -> change.status() == ConsentStatus.GRANTED);
		LocalDate birthDate = (command.birthDate() != null) ? command.birthDate() : knownBirthDate;
		if (grants && birthDate != null && command.guardian() == null && isMinor(birthDate, command.occurredAt())) {
			throw new ConsentRefused(ConsentRefused.Reason.GUARDIAN_REQUIRED, "The user is under " + this.minorAge
					+ ": a consent can only be recorded with a guardian's consent (guardian id and relationship)");
		}
		List<ConsentCommand.Requested> effective = new ArrayList<>();
		for (ConsentCommand.Requested change : command.changes()) {
			ConsentState state = current.get(change.scope());
			boolean same = state != null && state.status() == change.status()
					&& (change.status() == ConsentStatus.WITHDRAWN
							|| state.policyVersion().equals(command.policyVersion()));
			if (!same) {
				effective.add(change);
			}
		}
		return effective;
	}

	private void checkScopes(List<ConsentCommand.Requested> changes) {
		List<String> unknown = new ArrayList<>();
		List<String> necessary = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		List<String> repeated = new ArrayList<>();
		for (ConsentCommand.Requested change : changes) {
			if (change.scope() == null || change.status() == null) {
				throw new ConsentRefused(ConsentRefused.Reason.INVALID_BATCH,
						"Every change needs a scope and a status");
			}
			if (!seen.add(change.scope())) {
				repeated.add(change.scope());
			}
			Scope scope = this.catalog.find(change.scope()).orElse(null);
			if (scope == null) {
				unknown.add(change.scope());
			}
			else if (!scope.requiresConsent()) {
				necessary.add(change.scope());
			}
		}
		if (!unknown.isEmpty()) {
			throw new ConsentRefused(ConsentRefused.Reason.UNKNOWN_SCOPE, "Unknown scope codes: " + unknown, unknown);
		}
		if (!necessary.isEmpty()) {
			throw new ConsentRefused(ConsentRefused.Reason.CONSENT_NOT_APPLICABLE,
					"Strictly necessary processing needs no consent and cannot be granted or withdrawn: " + necessary,
					necessary);
		}
		if (!repeated.isEmpty()) {
			throw new ConsentRefused(ConsentRefused.Reason.INVALID_BATCH,
					"A scope may appear once per request: " + repeated, repeated);
		}
	}

	/**
	 * Whether a person born on a date is a minor at an instant.
	 * @param birthDate the birth date
	 * @param at the instant
	 * @return true when younger than the minor age
	 */
	public boolean isMinor(LocalDate birthDate, Instant at) {
		return Period.between(birthDate, at.atZone(ZONE).toLocalDate()).getYears() < this.minorAge;
	}

}
