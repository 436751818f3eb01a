package com.onemusic.privacy.platform.sample;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import com.onemusic.privacy.events.ConsentChanged;

/** A minimal service on the platform, for testing the platform itself. */
@SpringBootApplication
public class SampleApplication {

	/** Records every event it is given; fails on the user {@code explode}. */
	@Component
	public static class SampleListener {

		public final List<ConsentChanged> received = new CopyOnWriteArrayList<>();

		@KafkaListener(topics = "${sample.topic}")
		void on(ConsentChanged event) {
			if ("explode".equals(event.getUserId())) {
				throw new IllegalStateException("boom: the listener refused " + event.getEventId());
			}
			this.received.add(event);
		}

	}

}
