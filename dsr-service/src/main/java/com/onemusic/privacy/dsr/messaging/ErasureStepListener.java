package com.onemusic.privacy.dsr.messaging;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.stereotype.Component;

import com.onemusic.privacy.dsr.request.DsrRequests;
import com.onemusic.privacy.dsr.request.RetainedItem;
import com.onemusic.privacy.dsr.request.StepReport;
import com.onemusic.privacy.dsr.request.StepStatus;
import com.onemusic.privacy.events.ErasureStepReported;
import com.onemusic.privacy.events.ErasureStepStatus;
import com.onemusic.privacy.events.ParticipantKind;
import com.onemusic.privacy.platform.messaging.Listeners;
import com.onemusic.privacy.platform.messaging.RejectedRecord;
import com.onemusic.privacy.platform.web.ApiProblem;

/**
 * Follows the participants' reports on deletions and account closures, a batch at a time:
 * the reports of one request in a batch (participants often answer together) are applied
 * in one read and one write. A record that cannot be read, reports a status this service
 * does not know, or names a request it does not know goes to the dead-letter topic with
 * the reason; the records before it are applied, those after it delivered again
 * (redeliveries change nothing).
 */
@Component
class ErasureStepListener {

	private static final LogAccessor logger = new LogAccessor(ErasureStepListener.class);

	private final DsrRequests requests;

	ErasureStepListener(DsrRequests requests) {
		this.requests = requests;
	}

	@KafkaListener(topics = "#{T(com.onemusic.privacy.events.Topics).ERASURE_PROGRESS.name()}", batch = "true")
	void on(List<ConsumerRecord<String, Object>> records) {
		// Groups in the order of their first record: when one fails, every record before
		// it belongs to a group already applied.
		Map<String, Group> groups = new LinkedHashMap<>();
		for (int i = 0; i < records.size(); i++) {
			ConsumerRecord<String, Object> record = records.get(i);
			Object value = record.value();
			DeserializationException unreadable = SerializationUtils.getExceptionFromHeader(record,
					SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, logger);
			if (unreadable != null || !(value instanceof ErasureStepReported event)) {
				groups
					.put("unreadable:" + i,
							new Group(i,
									new RejectedRecord(
											"Record at offset " + record.offset()
													+ " is not an ErasureStepReported this service can read",
											unreadable)));
				continue;
			}
			if (event.getStatus() == ErasureStepStatus.UNKNOWN) {
				groups.put("unknown-status:" + i,
						new Group(i, new RejectedRecord("ErasureStepReported " + event.getEventId()
								+ " has a status this service does not know (written with a newer schema)")));
				continue;
			}
			int index = i;
			groups.computeIfAbsent("request:" + event.getRequestId(), (key) -> new Group(index, null))
				.reports()
				.add(report(event));
		}
		for (Group group : groups.values()) {
			if (group.rejected() != null) {
				throw new BatchListenerFailedException(group.rejected().getMessage(), group.rejected(), group.first());
			}
			String requestId = group.reports().get(0).requestId();
			try {
				this.requests.reportAll(requestId, group.reports())
					.onErrorMap(ApiProblem.class,
							(ex) -> new RejectedRecord(
									"ErasureStepReported of request " + requestId + " refused: " + ex.getMessage(), ex))
					.block(Listeners.TIMEOUT);
			}
			catch (RuntimeException ex) {
				throw new BatchListenerFailedException(ex.getMessage(), ex, group.first());
			}
		}
	}

	private static StepReport report(ErasureStepReported event) {
		return new StepReport(event.getEventId().toString(), event.getOccurredAt(), event.getRequestId(),
				event.getParticipant(), event.getParticipantKind() == ParticipantKind.PARTNER,
				StepStatus.valueOf(event.getStatus().name()), event.getMessage(), event.getCounts(),
				event.getVerified(),
				event.getRetained()
					.stream()
					.map((item) -> new RetainedItem(event.getParticipant(), item.getCategory(), item.getReason(),
							(item.getRetainUntil() != null) ? item.getRetainUntil().toString() : null))
					.toList());
	}

	/**
	 * The reports of one request in a batch, or one record to reject, with the index of
	 * its first record.
	 */
	private record Group(int first, RejectedRecord rejected, List<StepReport> reports) {

		Group(int first, RejectedRecord rejected) {
			this(first, rejected, new ArrayList<>());
		}

	}

}
