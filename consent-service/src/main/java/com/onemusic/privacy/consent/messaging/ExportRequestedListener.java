package com.onemusic.privacy.consent.messaging;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import com.onemusic.privacy.consent.ledger.ConsentLedger;
import com.onemusic.privacy.consent.policy.PolicyService;
import com.onemusic.privacy.consent.scope.ScopeCatalog;
import com.onemusic.privacy.consent.web.ConsentViews;
import com.onemusic.privacy.events.ExportFragmentReported;
import com.onemusic.privacy.events.ExportFragmentStatus;
import com.onemusic.privacy.events.ExportRequested;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.platform.messaging.Listeners;

/**
 * consent-service's part of a data export (policy 8.1.1): the user's consents now and
 * every change ever recorded, answered as ExportFragmentReported, split into parts that
 * fit a Kafka record. Nothing is written here, so answering again after a crash or a
 * redelivery gives the same document.
 */
@Component
class ExportRequestedListener {

	/** Characters per part: well under the default Kafka record size. */
	static final int PART_SIZE = 256 * 1024;

	private final ConsentLedger ledger;

	private final PolicyService policies;

	private final ScopeCatalog catalog;

	private final KafkaTemplate<String, Object> kafka;

	private final JsonMapper json;

	ExportRequestedListener(ConsentLedger ledger, PolicyService policies, ScopeCatalog catalog,
			KafkaTemplate<String, Object> kafka, JsonMapper json) {
		this.ledger = ledger;
		this.policies = policies;
		this.catalog = catalog;
		this.kafka = kafka;
		this.json = json;
	}

	@KafkaListener(topics = "#{T(com.onemusic.privacy.events.Topics).EXPORT_REQUESTED.name()}")
	void on(ExportRequested event) throws Exception {
		if (!event.getParticipants().isEmpty() && !event.getParticipants().contains(ConsentEvents.PARTICIPANT)) {
			return;
		}
		String userId = event.getUserId();
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("consents",
				this.ledger.state(userId, null)
					.zipWith(this.policies.history())
					.map((state) -> ConsentViews.ConsentView.of(state.getT1(), this.catalog, state.getT2()))
					.block(Listeners.TIMEOUT));
		document.put("history",
				this.ledger.entries(userId).map(ConsentViews.HistoryEntry::of).collectList().block(Listeners.TIMEOUT));
		String content = this.json.writeValueAsString(document);
		List<String> parts = new ArrayList<>();
		for (int start = 0; start < content.length(); start += PART_SIZE) {
			parts.add(content.substring(start, Math.min(content.length(), start + PART_SIZE)));
		}
		for (int i = 0; i < parts.size(); i++) {
			ExportFragmentReported fragment = ExportFragmentReported.newBuilder()
				.setEventId(UUID.randomUUID())
				.setOccurredAt(Instant.now())
				.setUserId(userId)
				.setRequestId(event.getRequestId())
				.setParticipant(ConsentEvents.PARTICIPANT)
				.setStatus(ExportFragmentStatus.DONE)
				.setPart(i + 1)
				.setParts(parts.size())
				.setContent(parts.get(i))
				.build();
			// Sent before the record counts as handled: a crash before the
			// acknowledgement means the request is answered again.
			this.kafka.send(Topics.EXPORT_FRAGMENTS.name(), userId, fragment)
				.get(Listeners.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

}
