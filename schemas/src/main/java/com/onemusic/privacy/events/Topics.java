package com.onemusic.privacy.events;

import java.util.List;
import java.util.Optional;

/**
 * Every topic of the event contract, named once. Services and tests refer to topics only
 * through these constants.
 */
public final class Topics {

	/** Consent granted or withdrawn, keyed by user. */
	public static final Topic<String, ConsentChanged> CONSENT_CHANGED = new Topic<>("privacy.consent-changed.v1",
			String.class, "userId", ConsentChanged.class);

	/**
	 * Every consent of a user as consent-service's ledger holds it, keyed by user and
	 * compacted: the latest state of every user, from which consent views start (the
	 * changes topic keeps only a retention period). A tombstone: the ledger was deleted.
	 */
	public static final Topic<String, ConsentStateRecorded> CONSENT_STATE = new Topic<>("privacy.consent-state.v1",
			String.class, "userId", ConsentStateRecorded.class, true);

	/** A privacy policy version came into force, keyed by policy version. */
	public static final Topic<String, PolicyVersionPublished> POLICY_PUBLISHED = new Topic<>(
			"privacy.policy-published.v1", String.class, "policy version", PolicyVersionPublished.class);

	/** A verified deletion or account closure, keyed by user. */
	public static final Topic<String, DeletionRequested> DELETION_REQUESTED = new Topic<>(
			"privacy.deletion-requested.v1", String.class, "userId", DeletionRequested.class);

	/** Progress of one erasure participant on one request, keyed by user. */
	public static final Topic<String, ErasureStepReported> ERASURE_PROGRESS = new Topic<>("privacy.erasure-progress.v1",
			String.class, "userId", ErasureStepReported.class);

	/** A data-subject request changed status, keyed by user. */
	public static final Topic<String, DsrStatusChanged> DSR_STATUS = new Topic<>("privacy.dsr-status.v1", String.class,
			"userId", DsrStatusChanged.class);

	/** Data-subject requests made through other backend services, keyed by user. */
	public static final Topic<String, DataSubjectRequestSubmitted> DSR_REQUESTS = new Topic<>("privacy.dsr-requests.v1",
			String.class, "userId", DataSubjectRequestSubmitted.class);

	/**
	 * A verified consent withdrawal asks consent-service to withdraw scopes, keyed by
	 * user.
	 */
	public static final Topic<String, ConsentWithdrawalRequested> CONSENT_WITHDRAWAL_REQUESTED = new Topic<>(
			"privacy.consent-withdrawal-requested.v1", String.class, "userId", ConsentWithdrawalRequested.class);

	/**
	 * A verified access request asks the participants for the user's data, keyed by user.
	 */
	public static final Topic<String, ExportRequested> EXPORT_REQUESTED = new Topic<>("privacy.export-requested.v1",
			String.class, "userId", ExportRequested.class);

	/** The participants' parts of a data export, keyed by user. */
	public static final Topic<String, ExportFragmentReported> EXPORT_FRAGMENTS = new Topic<>(
			"privacy.export-fragments.v1", String.class, "userId", ExportFragmentReported.class);

	/** Every share decision of the sharing gateway, keyed by user. */
	public static final Topic<String, DataShared> SHARING_DECISIONS = new Topic<>("privacy.sharing-decisions.v1",
			String.class, "userId", DataShared.class);

	/** Raw, still identifying analytics events of the app backends, keyed by user. */
	public static final Topic<String, UserActivityRecorded> ANALYTICS_EVENTS_RAW = new Topic<>(
			"analytics.events-raw.v1", String.class, "userId", UserActivityRecorded.class);

	private static final List<Topic<String, ?>> ALL = List.of(CONSENT_CHANGED, CONSENT_STATE, POLICY_PUBLISHED,
			DELETION_REQUESTED, ERASURE_PROGRESS, DSR_STATUS, DSR_REQUESTS, CONSENT_WITHDRAWAL_REQUESTED,
			EXPORT_REQUESTED, EXPORT_FRAGMENTS, SHARING_DECISIONS, ANALYTICS_EVENTS_RAW);

	private Topics() {
	}

	/**
	 * All topics of the contract.
	 * @return every topic, in catalog order
	 */
	public static List<Topic<String, ?>> all() {
		return ALL;
	}

	/**
	 * Looks a topic up by name.
	 * @param name the topic name
	 * @return the topic, or empty when the contract has no topic of that name
	 */
	public static Optional<Topic<String, ?>> byName(String name) {
		return ALL.stream().filter((topic) -> topic.name().equals(name)).findFirst();
	}

}
