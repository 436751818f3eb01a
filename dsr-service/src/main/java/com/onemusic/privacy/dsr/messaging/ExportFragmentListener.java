package com.onemusic.privacy.dsr.messaging;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import com.onemusic.privacy.dsr.export.DataExports;
import com.onemusic.privacy.dsr.export.FragmentReport;
import com.onemusic.privacy.dsr.request.StepStatus;
import com.onemusic.privacy.events.ExportFragmentReported;
import com.onemusic.privacy.events.ExportFragmentStatus;
import com.onemusic.privacy.platform.messaging.Listeners;
import com.onemusic.privacy.platform.messaging.RejectedRecord;
import com.onemusic.privacy.platform.web.ApiProblem;

/**
 * Collects the participants' parts of data exports; a part this service cannot use goes
 * to the dead-letter topic with the reason.
 */
@Component
class ExportFragmentListener {

	private final DataExports exports;

	ExportFragmentListener(DataExports exports) {
		this.exports = exports;
	}

	@KafkaListener(topics = "#{T(com.onemusic.privacy.events.Topics).EXPORT_FRAGMENTS.name()}")
	void on(ExportFragmentReported event) {
		if (event.getStatus() == ExportFragmentStatus.UNKNOWN) {
			throw new RejectedRecord("ExportFragmentReported " + event.getEventId()
					+ " has a status this service does not know (written with a newer schema)");
		}
		FragmentReport fragment = new FragmentReport(event.getEventId().toString(), event.getOccurredAt(),
				event.getRequestId(), event.getParticipant(), StepStatus.valueOf(event.getStatus().name()),
				event.getPart(), event.getParts(), event.getContent(), event.getMessage());
		this.exports.accept(fragment)
			.onErrorMap(ApiProblem.class,
					(ex) -> new RejectedRecord(
							"ExportFragmentReported " + event.getEventId() + " refused: " + ex.getMessage(), ex))
			.block(Listeners.TIMEOUT);
	}

}
