package com.onemusic.privacy.registry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's store: a single-partition compacted Kafka topic, read from the start
 * into a {@link RegistryState} by one background thread. A write returns once this
 * instance has read it back, so every answer reflects every write acknowledged before it.
 */
final class KafkaSchemaLog implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(KafkaSchemaLog.class);

	private static final ObjectMapper JSON = new ObjectMapper();

	private final String topic;

	private final TopicPartition partition;

	private final RegistryState state;

	private final Duration timeout;

	private final Admin admin;

	private final KafkaProducer<String, String> producer;

	private final KafkaConsumer<String, String> consumer;

	private final Thread reader;

	private final Object progress = new Object();

	/** The offset of the next record the reader will apply. */
	private volatile long position;

	private volatile Throwable readerFailure;

	private volatile boolean running = true;

	KafkaSchemaLog(String bootstrapServers, String topic, RegistryState state, Duration timeout,
			Map<String, Object> clientProperties) {
		this.topic = topic;
		this.partition = new TopicPartition(topic, 0);
		this.state = state;
		this.timeout = timeout;
		Properties common = new Properties();
		common.putAll(clientProperties);
		common.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
		this.admin = Admin.create(common);
		Properties producerProperties = new Properties();
		producerProperties.putAll(common);
		producerProperties.put(ProducerConfig.ACKS_CONFIG, "all");
		producerProperties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
		producerProperties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (long) timeoutMillis);
		producerProperties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMillis, 30_000));
		producerProperties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(timeoutMillis, 31_000));
		producerProperties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
		Properties consumerProperties = new Properties();
		consumerProperties.putAll(common);
		consumerProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		consumerProperties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		try {
			this.producer = new KafkaProducer<>(producerProperties, new StringSerializer(), new StringSerializer());
			this.consumer = new KafkaConsumer<>(consumerProperties, new StringDeserializer(), new StringDeserializer());
		}
		catch (RuntimeException ex) {
			this.admin.close(Duration.ZERO);
			throw ex;
		}
		this.reader = new Thread(this::read, "schema-registry-reader");
		this.reader.setDaemon(true);
	}

	/**
	 * Creates the topic if needed, starts reading it and waits until everything written
	 * before start-up has been applied.
	 */
	void start() {
		ensureTopic();
		this.consumer.assign(List.of(this.partition));
		this.consumer.seekToBeginning(List.of(this.partition));
		this.reader.start();
		catchUp();
		logger.info("Schema registry store {} loaded up to offset {}", this.topic, this.position);
	}

	private void ensureTopic() {
		try {
			int brokers = this.admin.describeCluster()
				.nodes()
				.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS)
				.size();
			short replicas = (short) Math.max(1, Math.min(3, brokers));
			NewTopic newTopic = new NewTopic(this.topic, 1, replicas)
				.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
			try {
				this.admin.createTopics(List.of(newTopic)).all().get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (ExecutionException ex) {
				if (!(ex.getCause() instanceof TopicExistsException)) {
					throw ex;
				}
			}
			TopicDescription description = describeTopic();
			if (description.partitions().size() != 1) {
				throw new IllegalStateException("The schema store topic " + this.topic + " has "
						+ description.partitions().size() + " partitions; it must have exactly one");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while preparing " + this.topic, ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Could not prepare the schema store topic " + this.topic + ": " + ex, ex);
		}
	}

	/** Describes the topic, waiting for a just created topic's metadata to spread. */
	private TopicDescription describeTopic() throws InterruptedException, ExecutionException, TimeoutException {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		while (true) {
			try {
				return this.admin.describeTopics(List.of(this.topic))
					.allTopicNames()
					.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS)
					.get(this.topic);
			}
			catch (ExecutionException ex) {
				if (!(ex.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
					throw ex;
				}
				TimeUnit.MILLISECONDS.sleep(50);
			}
		}
	}

	private void read() {
		try {
			while (this.running) {
				for (ConsumerRecord<String, String> record : this.consumer.poll(Duration.ofMillis(200))) {
					apply(record);
				}
				long next = this.consumer.position(this.partition);
				synchronized (this.progress) {
					this.position = next;
					this.progress.notifyAll();
				}
			}
		}
		catch (WakeupException ex) {
			if (this.running) {
				this.readerFailure = ex;
			}
		}
		catch (RuntimeException ex) {
			logger.error("Schema registry store reader stopped", ex);
			this.readerFailure = ex;
		}
		finally {
			synchronized (this.progress) {
				this.progress.notifyAll();
			}
		}
	}

	private void apply(ConsumerRecord<String, String> record) {
		if (record.key() == null) {
			return;
		}
		try {
			JsonNode key = JSON.readTree(record.key());
			JsonNode value = (record.value() != null) ? JSON.readTree(record.value()) : null;
			this.state.apply(record.key(), key, value);
		}
		catch (JsonProcessingException | RuntimeException ex) {
			logger.warn("Skipping unreadable record at offset {} of {}: {}", record.offset(), this.topic,
					ex.getMessage());
		}
	}

	/**
	 * Appends a record and waits until this instance has applied it.
	 * @param key the JSON key
	 * @param value the JSON value, or {@code null} for a tombstone
	 */
	void append(String key, String value) {
		long offset;
		try {
			offset = this.producer.send(new ProducerRecord<>(this.topic, 0, key, value))
				.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS)
				.offset();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw RegistryException.storeError("interrupted", ex);
		}
		catch (ExecutionException ex) {
			throw RegistryException.storeError("could not write to " + this.topic + ": " + ex.getCause(), ex);
		}
		catch (TimeoutException ex) {
			throw RegistryException.timeout("writing to " + this.topic + " took longer than " + this.timeout);
		}
		awaitPosition(offset + 1);
	}

	/** Waits until every record written before this call has been applied. */
	void catchUp() {
		long end;
		try {
			ListOffsetsResult offsets = this.admin.listOffsets(Map.of(this.partition, OffsetSpec.latest()));
			end = offsets.partitionResult(this.partition).get(this.timeout.toMillis(), TimeUnit.MILLISECONDS).offset();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw RegistryException.storeError("interrupted", ex);
		}
		catch (ExecutionException ex) {
			throw RegistryException.storeError("could not read the end of " + this.topic + ": " + ex.getCause(), ex);
		}
		catch (TimeoutException ex) {
			throw RegistryException.timeout("reading the end of " + this.topic + " took longer than " + this.timeout);
		}
		awaitPosition(end);
	}

	private void awaitPosition(long target) {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		synchronized (this.progress) {
			while (this.position < target) {
				if (this.readerFailure != null) {
					throw RegistryException.storeError("the store reader failed: " + this.readerFailure,
							this.readerFailure);
				}
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					throw RegistryException.timeout("the store was not read up to offset " + target + " within "
							+ this.timeout + " (at " + this.position + ")");
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.progress, left);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw RegistryException.storeError("interrupted", ex);
				}
			}
		}
	}

	/**
	 * Whether the store reader is alive.
	 * @return the failure that stopped it, if any
	 */
	Optional<Throwable> failure() {
		return Optional.ofNullable(this.readerFailure);
	}

	@Override
	public void close() {
		this.running = false;
		this.consumer.wakeup();
		try {
			this.reader.join(5000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.consumer.close(Duration.ofSeconds(2));
		this.producer.close(Duration.ofSeconds(2));
		this.admin.close(Duration.ofSeconds(2));
	}

}
