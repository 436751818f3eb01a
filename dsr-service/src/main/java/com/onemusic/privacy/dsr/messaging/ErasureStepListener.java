package com.onemusic.privacy.dsr.messaging;

import java.time.Duration;
import java.util.List;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import com.onemusic.privacy.dsr.request.DsrRequests;
import com.onemusic.privacy.dsr.request.RetainedItem;
import com.onemusic.privacy.dsr.request.StepReport;
import com.onemusic.privacy.dsr.request.StepStatus;
import com.onemusic.privacy.events.ErasureStepReported;
import com.onemusic.privacy.events.ErasureStepStatus;
import com.onemusic.privacy.events.ParticipantKind;
import com.onemusic.privacy.platform.messaging.RejectedRecord;
import com.onemusic.privacy.platform.web.ApiProblem;

/**
 * Follows the participants' reports on deletions and account closures. A report of a
 * request this service does not know, or of a status it cannot read, goes to the
 * dead-letter topic with the reason; redeliveries change nothing.
 */
@Component
class ErasureStepListener {

	/** How long one report may take before it counts as failed (then retried). */
	static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final DsrRequests requests;

	ErasureStepListener(DsrRequests requests) {
		this.requests = requests;
	}

	@KafkaListener(topics = "#{T(com.onemusic.privacy.events.Topics).ERASURE_PROGRESS.name()}")
	void on(ErasureStepReported event) {
		if (event.getStatus() == ErasureStepStatus.UNKNOWN) {
			throw new RejectedRecord("ErasureStepReported " + event.getEventId()
					+ " has a status this service does not know (written with a newer schema)");
		}
		StepReport report = new StepReport(event.getEventId().toString(), event.getOccurredAt(), event.getRequestId(),
				event.getParticipant(), event.getParticipantKind() == ParticipantKind.PARTNER,
				StepStatus.valueOf(event.getStatus().name()), event.getMessage(), event.getCounts(),
				event.getVerified(), retained(event));
		this.requests.report(report)
			.onErrorMap(ApiProblem.class,
					(ex) -> new RejectedRecord(
							"ErasureStepReported " + event.getEventId() + " refused: " + ex.getMessage(), ex))
			.block(TIMEOUT);
	}

	private static List<RetainedItem> retained(ErasureStepReported event) {
		return event.getRetained()
			.stream()
			.map((item) -> new RetainedItem(event.getParticipant(), item.getCategory(), item.getReason(),
					(item.getRetainUntil() != null) ? item.getRetainUntil().toString() : null))
			.toList();
	}

}
