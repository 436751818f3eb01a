package com.onemusic.privacy.consent.messaging;

import java.util.ArrayList;
import java.util.List;

import com.onemusic.privacy.consent.ledger.ErasureReport;
import com.onemusic.privacy.consent.ledger.LedgerEntry;
import com.onemusic.privacy.consent.ledger.ScopeChange;
import com.onemusic.privacy.consent.policy.MaterialChange;
import com.onemusic.privacy.consent.policy.PolicyVersion;
import com.onemusic.privacy.events.ConsentChanged;
import com.onemusic.privacy.events.ConsentMethod;
import com.onemusic.privacy.events.ConsentStatus;
import com.onemusic.privacy.events.ErasureStepReported;
import com.onemusic.privacy.events.ErasureStepStatus;
import com.onemusic.privacy.events.GuardianConsent;
import com.onemusic.privacy.events.MaterialChangeKind;
import com.onemusic.privacy.events.ParticipantKind;
import com.onemusic.privacy.events.PolicyVersionPublished;
import com.onemusic.privacy.events.RetainedItem;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.platform.outbox.OutboxMessage;

/**
 * Maps consent-service's stored facts to the Avro events of the contract: the only place
 * where the domain meets the wire format.
 */
public final class ConsentEvents {

	/** The participant name consent-service reports erasure steps under. */
	public static final String PARTICIPANT = "consent-service";

	private ConsentEvents() {
	}

	/**
	 * The events a ledger entry publishes: one ConsentChanged per scope, then the erasure
	 * step it reports, if any.
	 * @param entry the entry
	 * @return the messages, in order
	 */
	public static List<OutboxMessage> of(LedgerEntry entry) {
		List<OutboxMessage> messages = new ArrayList<>();
		for (ScopeChange change : entry.changes()) {
			ConsentChanged event = ConsentChanged.newBuilder()
				.setEventId(change.eventId())
				.setOccurredAt(entry.occurredAt())
				.setUserId(entry.userId())
				.setScope(change.scope())
				.setStatus(ConsentStatus.valueOf(change.status().name()))
				.setPolicyVersion(entry.policyVersion())
				.setMethod(ConsentMethod.valueOf(entry.method().name()))
				.setSourceSystem(entry.sourceSystem())
				.setSequence(entry.sequence())
				.setGuardian((entry.guardian() != null)
						? new GuardianConsent(entry.guardian().guardianId(), entry.guardian().relationship().name())
						: null)
				.setReceiptId((change.status() == com.onemusic.privacy.consent.ledger.ConsentStatus.GRANTED)
						? entry.receiptId() : null)
				.setReason(entry.reason())
				.build();
			messages.add(new OutboxMessage(Topics.CONSENT_CHANGED.name(), entry.userId(), event));
		}
		if (entry.erasure() != null) {
			messages.add(new OutboxMessage(Topics.ERASURE_PROGRESS.name(), entry.userId(), erasureStep(entry)));
		}
		return messages;
	}

	private static ErasureStepReported erasureStep(LedgerEntry entry) {
		ErasureReport report = entry.erasure();
		List<RetainedItem> retained = report.retained()
			.stream()
			.map((item) -> new RetainedItem(item.category(), item.reason(), item.retainUntil()))
			.toList();
		return ErasureStepReported.newBuilder()
			.setEventId(report.eventId())
			.setOccurredAt(entry.recordedAt())
			.setUserId(entry.userId())
			.setRequestId(report.requestId())
			.setParticipant(PARTICIPANT)
			.setParticipantKind(ParticipantKind.SERVICE)
			.setStatus(retained.isEmpty() ? ErasureStepStatus.DONE : ErasureStepStatus.PARTIALLY_RETAINED)
			.setMessage(entry.reason())
			.setCounts(new java.util.HashMap<>(report.counts()))
			.setVerified(null)
			.setRetained(retained)
			.build();
	}

	/**
	 * The event a policy version publishes.
	 * @param version the version
	 * @return the message, keyed by version
	 */
	public static List<OutboxMessage> of(PolicyVersion version) {
		PolicyVersionPublished event = PolicyVersionPublished.newBuilder()
			.setEventId(version.eventId())
			.setOccurredAt(version.publishedAt())
			.setVersion(version.version())
			.setPreviousVersion(version.previousVersion())
			.setEffectiveFrom(version.effectiveFrom())
			.setUrl(version.url())
			.setMaterialChanges(version.materialChanges().stream().map(ConsentEvents::materialChange).toList())
			.build();
		return List.of(new OutboxMessage(Topics.POLICY_PUBLISHED.name(), version.version(), event));
	}

	private static com.onemusic.privacy.events.MaterialChange materialChange(MaterialChange change) {
		return new com.onemusic.privacy.events.MaterialChange(MaterialChangeKind.valueOf(change.kind().name()),
				change.scopes(), change.summary());
	}

}
