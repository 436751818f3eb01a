package com.onemusic.privacy.anonymizer.ingest;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import com.onemusic.privacy.events.UserActivityRecorded;
import com.onemusic.privacy.platform.messaging.Listeners;

/**
 * Takes the raw analytics events the app backends publish (Confluent Avro) and stores
 * only their de-identified form.
 */
@Component
class AnalyticsEventListener {

	private final AnalyticsIngestion ingestion;

	AnalyticsEventListener(AnalyticsIngestion ingestion) {
		this.ingestion = ingestion;
	}

	@KafkaListener(topics = "#{T(com.onemusic.privacy.events.Topics).ANALYTICS_EVENTS_RAW.name()}")
	void on(UserActivityRecorded event) {
		this.ingestion.ingest(event).block(Listeners.TIMEOUT);
	}

}
