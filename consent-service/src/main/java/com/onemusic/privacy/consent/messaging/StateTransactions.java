package com.onemusic.privacy.consent.messaging;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerConfig;

import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.transaction.KafkaTransactionManager;

/**
 * The transactional producer of consent states. The state publisher's container begins a
 * transaction for each batch it takes from the changes topic, the states are sent in it,
 * and the batch's offsets are committed in it too (fenced by the consumer group's
 * generation): an instance that was cut out of the group while it held a batch (a process
 * stalled past its session timeout) cannot commit, so the states it sent late are
 * aborted, and the instance that took the partition over waits for that transaction to
 * end before it reads from the committed offset. Readers of the state topic read
 * committed records only (the platform's consumer default).
 *
 * <p>
 * Kept apart from the service's other producer, which stays non-transactional (the outbox
 * relay and the dead-letter publisher send outside any transaction), and not a bean of
 * type {@link ProducerFactory}, which would take the place of the one Spring Boot
 * configures.
 */
public final class StateTransactions {

	private final DefaultKafkaProducerFactory<String, Object> producers;

	private final KafkaTemplate<String, Object> template;

	private final KafkaTransactionManager<String, Object> manager;

	/**
	 * Creates the producer with the settings of the service's own.
	 * @param settings the service's producer factory, whose configuration is copied
	 */
	public StateTransactions(ProducerFactory<?, ?> settings) {
		Map<String, Object> config = new HashMap<>(settings.getConfigurationProperties());
		// Its own client id (metrics and logs tell the two producers apart), which still
		// names the service.
		config.put(ProducerConfig.CLIENT_ID_CONFIG,
				config.getOrDefault(ProducerConfig.CLIENT_ID_CONFIG, "consent-service") + "-state");
		this.producers = new DefaultKafkaProducerFactory<>(config);
		// Unique per process: instances sharing a transactional id would fence each
		// other. Fencing of an instance that lost its partitions comes from the consumer
		// group instead, so the id need not survive a restart.
		this.producers.setTransactionIdPrefix("consent-state-" + UUID.randomUUID() + "-");
		this.template = new KafkaTemplate<>(this.producers);
		this.manager = new KafkaTransactionManager<>(this.producers);
	}

	/**
	 * The template the states are sent with, in the container's transaction.
	 * @return the template
	 */
	public KafkaTemplate<String, Object> template() {
		return this.template;
	}

	/**
	 * The transaction manager of the state publisher's container.
	 * @return the manager
	 */
	public KafkaTransactionManager<String, Object> manager() {
		return this.manager;
	}

	/** Closes the producers. */
	public void close() {
		this.producers.destroy();
	}

}
