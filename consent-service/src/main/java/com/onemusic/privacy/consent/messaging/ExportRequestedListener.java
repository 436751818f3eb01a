package com.onemusic.privacy.consent.messaging;

import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import com.onemusic.privacy.consent.ledger.ConsentLedger;
import com.onemusic.privacy.consent.policy.PolicyService;
import com.onemusic.privacy.consent.scope.ScopeCatalog;
import com.onemusic.privacy.consent.web.ConsentViews;
import com.onemusic.privacy.events.ExportRequested;
import com.onemusic.privacy.platform.messaging.ExportAnswers;
import com.onemusic.privacy.platform.messaging.Listeners;

/**
 * consent-service's part of a data export (policy 8.1.1): the user's consents now and
 * every change ever recorded, answered as ExportFragmentReported (see
 * {@link ExportAnswers}).
 */
@Component
class ExportRequestedListener {

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
		if (!ExportAnswers.asks(event, ConsentEvents.PARTICIPANT)) {
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
		ExportAnswers.send(this.kafka, event, ConsentEvents.PARTICIPANT, this.json.writeValueAsString(document), null);
	}

}
