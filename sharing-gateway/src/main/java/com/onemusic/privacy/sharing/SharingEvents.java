package com.onemusic.privacy.sharing;

import java.util.List;

import com.onemusic.privacy.events.ConsentBasis;
import com.onemusic.privacy.events.DataShared;
import com.onemusic.privacy.events.ErasureStepReported;
import com.onemusic.privacy.events.LegalDisclosure;
import com.onemusic.privacy.events.ParticipantKind;
import com.onemusic.privacy.events.ShareDecision;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.platform.outbox.OutboxMessage;
import com.onemusic.privacy.sharing.erasure.PartnerStep;
import com.onemusic.privacy.sharing.share.ShareLogEntry;

/** The events the gateway publishes, from what it stored. */
public final class SharingEvents {

	private SharingEvents() {
	}

	/**
	 * DataShared of a decision: the reason and the consent relied on, never the payload.
	 * @param entry the share log entry
	 * @return the event
	 */
	public static DataShared dataShared(ShareLogEntry entry) {
		DataShared.Builder event = DataShared.newBuilder()
			.setEventId(entry.eventId())
			.setOccurredAt(entry.occurredAt())
			.setUserId(entry.userId())
			.setDecisionId(entry.id())
			.setPartnerId(entry.partnerId())
			.setPartnerCategory(entry.partnerCategory())
			.setPurpose(entry.purpose())
			.setDecision(entry.allowed() ? ShareDecision.ALLOWED : ShareDecision.DENIED)
			.setReason(entry.reason())
			.setSharedFields(entry.sharedFields())
			.setRemovedFields(entry.removedFields())
			.setDataCategories(entry.dataCategories())
			.setDetail(entry.detail())
			.setSensitive(entry.sensitive());
		if (entry.basis() != null) {
			event.setConsentBasis(
					new ConsentBasis(entry.basis().scope(), entry.basis().policyVersion(), entry.basis().sequence()));
		}
		if (entry.legal() != null) {
			event.setLegalDisclosure(new LegalDisclosure(entry.legal().legalBasis().name(), entry.legal().reference(),
					entry.legal().authorizedBy(), entry.legal().justification(), entry.legal().recipient()));
		}
		return event.build();
	}

	/**
	 * ErasureStepReported of a step.
	 * @param step the step
	 * @return the record to publish
	 */
	public static List<OutboxMessage> of(PartnerStep step) {
		ErasureStepReported event = ErasureStepReported.newBuilder()
			.setEventId(step.eventId())
			.setOccurredAt(step.occurredAt())
			.setUserId(step.userId())
			.setRequestId(step.requestId())
			.setParticipant(step.participant())
			.setParticipantKind(step.partner() ? ParticipantKind.PARTNER : ParticipantKind.SERVICE)
			.setStatus(step.status())
			.setMessage(step.message())
			.setCounts(step.counts())
			.build();
		return List.of(new OutboxMessage(Topics.ERASURE_PROGRESS.name(), step.userId(), event));
	}

}
