package com.onemusic.privacy.sharing.view;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.log.LogAccessor;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.event.ListenerContainerIdleEvent;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.BatchConsumerAwareMessageListener;
import org.springframework.kafka.support.TopicPartitionOffset;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;

import com.onemusic.privacy.events.ConsentChanged;
import com.onemusic.privacy.events.ConsentStateRecorded;
import com.onemusic.privacy.events.DeletionRequested;
import com.onemusic.privacy.events.PolicyVersionPublished;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.platform.DaemonThreads;
import com.onemusic.privacy.platform.messaging.Listeners;
import com.onemusic.privacy.platform.messaging.RejectedRecord;
import com.onemusic.privacy.platform.mongo.DuplicateKeys;

/**
 * Feeds the {@link ConsentView} from ConsentChanged, ConsentStateRecorded,
 * PolicyVersionPublished and DeletionRequested. Every instance reads every partition of
 * the four topics (each instance decides shares for any user, so each needs every
 * withdrawal at once), from the position stored with the view, and stores the position it
 * reached every second. The compacted state topic holds every user's latest state however
 * old, so a view that starts afresh, or whose position on the changes topic fell behind
 * that topic's retention, still has every consent once it has read the states; a
 * tombstone there (the user's ledger was deleted) makes the view forget the user.
 *
 * <p>
 * Partitions added to the topics while it runs are found within
 * {@code partitionCheckInterval} and read from their start: from the moment one is found,
 * the view counts as complete only once it has read that partition too.
 *
 * <p>
 * It also measures how far behind the topics the view is: every probe interval it reads
 * the end offsets of all partitions (with a consumer of its own, on the probe's thread:
 * one request to the brokers and no other client thread in between); once the view has
 * taken every record up to a probe's offsets, the view is known to be complete as of that
 * probe's time. The lag is the time since the latest such probe; before the first
 * catch-up it is unbounded. A decision that needs the view complete as of an instant no
 * probe has passed yet asks for a probe at once and waits until the view is complete as
 * of a probe that started after that instant ({@link ViewFreshness}).
 */
public class ConsentFeed implements SmartLifecycle, ViewFreshness {

	private static final Logger logger = LoggerFactory.getLogger(ConsentFeed.class);

	public static final String POSITIONS = "sharing_consent_view_positions";

	/** How long without records before the feed takes its consumer's positions. */
	static final Duration IDLE_INTERVAL = Duration.ofMillis(500);

	static final List<String> TOPICS = List.of(Topics.CONSENT_CHANGED.name(), Topics.CONSENT_STATE.name(),
			Topics.POLICY_PUBLISHED.name(), Topics.DELETION_REQUESTED.name());

	private final ConsentView view;

	private final ConcurrentKafkaListenerContainerFactory<Object, Object> factory;

	private final Map<String, Object> adminConfig;

	private Admin admin;

	/**
	 * Reads the end offsets for the probes; not a member of any group, never polled. Used
	 * under {@link #probeLock} only (a consumer is not for several threads).
	 */
	private KafkaConsumer<byte[], byte[]> ends;

	private final Object probeLock = new Object();

	private static final AtomicInteger ENDS_CLIENTS = new AtomicInteger();

	private final ReactiveMongoTemplate mongo;

	private final Duration probeInterval;

	private final Duration saveInterval;

	private final Duration partitionCheckInterval;

	private final Clock clock;

	private final Map<TopicPartition, Long> processed = new ConcurrentHashMap<>();

	private final Map<TopicPartition, Long> saved = new ConcurrentHashMap<>();

	private final Deque<Probe> probes = new ArrayDeque<>();

	private volatile Instant completeAsOf;

	/**
	 * Decisions waiting for the view to be complete as of an instant; under the probes'
	 * lock.
	 */
	private final List<Waiter> waiters = new ArrayList<>();

	private final AtomicBoolean probeAsked = new AtomicBoolean();

	/** Reads of the end offsets so far. */
	private final AtomicLong probesRead = new AtomicLong();

	private final AtomicLong taken = new AtomicLong();

	/** Guarded by {@link #containerLock}. */
	private ConcurrentMessageListenerContainer<Object, Object> container;

	private final Object containerLock = new Object();

	private ScheduledExecutorService scheduler;

	/**
	 * Looks for new partitions on a thread of its own: restarting the container waits for
	 * its batch, and probes must not wait for that.
	 */
	private ScheduledExecutorService partitionChecker;

	private volatile boolean running;

	private CommonErrorHandler errorHandler;

	public ConsentFeed(ConsentView view, ConcurrentKafkaListenerContainerFactory<Object, Object> factory,
			Map<String, Object> adminConfig, ReactiveMongoTemplate mongo, Duration probeInterval, Duration saveInterval,
			Duration partitionCheckInterval, Clock clock) {
		this.view = view;
		this.factory = factory;
		this.adminConfig = Map.copyOf(adminConfig);
		this.mongo = mongo;
		this.probeInterval = probeInterval;
		this.saveInterval = saveInterval;
		this.partitionCheckInterval = partitionCheckInterval;
		this.clock = clock;
	}

	/**
	 * Sets how a record that fails is handled (retried, then sent to the dead-letter
	 * topic); it must call {@link #skipped} for a record it gives up on.
	 * @param errorHandler the handler
	 */
	public void errorHandler(CommonErrorHandler errorHandler) {
		this.errorHandler = errorHandler;
	}

	@Override
	public void start() {
		try {
			this.admin = Admin.create(this.adminConfig);
			this.ends = endsConsumer(this.adminConfig);
			this.view.loadPolicies().block(Listeners.TIMEOUT);
			List<TopicPartition> partitions = partitions();
			Map<TopicPartition, Long> stored = storedPositions();
			Map<TopicPartition, Long> earliest = earliest(partitions);
			for (TopicPartition partition : partitions) {
				long position = Math.max(stored.getOrDefault(partition, 0L), earliest.getOrDefault(partition, 0L));
				this.processed.put(partition, position);
				this.saved.put(partition, stored.getOrDefault(partition, -1L));
			}
			synchronized (this.containerLock) {
				startContainer();
			}
			this.scheduler = DaemonThreads.scheduler("consent-view-probe");
			this.partitionChecker = DaemonThreads.scheduler("consent-view-partitions");
			this.partitionChecker.scheduleWithFixedDelay(this::checkPartitionsSafely,
					this.partitionCheckInterval.toMillis(), this.partitionCheckInterval.toMillis(),
					TimeUnit.MILLISECONDS);
			this.scheduler.scheduleWithFixedDelay(this::probeSafely, 0, this.probeInterval.toMillis(),
					TimeUnit.MILLISECONDS);
			this.scheduler.scheduleWithFixedDelay(this::saveSafely, this.saveInterval.toMillis(),
					this.saveInterval.toMillis(), TimeUnit.MILLISECONDS);
			this.running = true;
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not start the consent view feed", ex);
		}
	}

	/**
	 * Starts a container reading every known partition from the position the view reached
	 * in it.
	 */
	private void startContainer() {
		TopicPartitionOffset[] start = this.processed.entrySet()
			.stream()
			.map((entry) -> new TopicPartitionOffset(entry.getKey().topic(), entry.getKey().partition(),
					entry.getValue()))
			.toArray(TopicPartitionOffset[]::new);
		ConcurrentMessageListenerContainer<Object, Object> started = this.factory.createContainer(start);
		started.setConcurrency(1);
		started.getContainerProperties().setGroupId("sharing-gateway-consent-view");
		started.getContainerProperties()
			.setMessageListener((BatchConsumerAwareMessageListener<String, Object>) this::onBatch);
		// When no record comes, the positions are still taken (see reached()).
		started.getContainerProperties().setIdleEventInterval(IDLE_INTERVAL.toMillis());
		ApplicationEventPublisher events = started.getApplicationEventPublisher();
		started.setApplicationEventPublisher((event) -> {
			if (event instanceof ListenerContainerIdleEvent idle && idle.getConsumer() != null) {
				reached(idle.getConsumer());
			}
			if (events != null) {
				events.publishEvent(event);
			}
		});
		started.setBeanName("consentViewFeed");
		if (this.errorHandler != null) {
			started.setCommonErrorHandler(this.errorHandler);
		}
		started.start();
		this.container = started;
	}

	private void checkPartitionsSafely() {
		try {
			checkPartitions();
		}
		catch (Exception ex) {
			logger.warn("Could not look for new partitions of the consent topics: {}", ex.toString());
		}
	}

	/**
	 * Reads partitions added to the topics since the view started, from their start. Not
	 * from a position another instance stored: this instance's cache must see every
	 * change of the users whose records are there. Once a partition is known here, the
	 * probes read its end too, so the view is complete again only when it has read it.
	 */
	private void checkPartitions() throws Exception {
		List<TopicPartition> added = partitions().stream()
			.filter((partition) -> !this.processed.containsKey(partition))
			.toList();
		if (added.isEmpty()) {
			return;
		}
		Map<TopicPartition, Long> earliest = earliest(added);
		synchronized (this.containerLock) {
			if (!this.running) {
				return;
			}
			for (TopicPartition partition : added) {
				this.processed.putIfAbsent(partition, earliest.getOrDefault(partition, 0L));
				this.saved.putIfAbsent(partition, -1L);
			}
			logger.info("Partitions were added to the consent topics: {}; the view reads them from their start", added);
			// Stopping waits for the batch being taken; the new container goes on
			// from the positions reached.
			this.container.stop();
			startContainer();
		}
	}

	@Override
	public void stop() {
		this.running = false;
		if (this.partitionChecker != null) {
			this.partitionChecker.shutdownNow();
		}
		synchronized (this.containerLock) {
			if (this.container != null) {
				this.container.stop();
			}
		}
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
		}
		if (this.ends != null) {
			// A probe running now is interrupted by the shutdown and lets go of the lock.
			synchronized (this.probeLock) {
				this.ends.close(CloseOptions.timeout(Duration.ofSeconds(2)));
			}
		}
		if (this.admin != null) {
			this.admin.close(Duration.ofSeconds(2));
		}
		saveSafely();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Takes a batch: policy versions first, in order; then each user's events in one
	 * write, the users' writes together ({@link ConsentView#applyAll}). A record that
	 * cannot be read, or is not what the topic carries, ends the batch there: the records
	 * before it are taken, and the error handler sends it to the dead-letter topic and
	 * goes on after it.
	 */
	private void onBatch(List<ConsumerRecord<String, Object>> records, Consumer<?, ?> consumer) {
		int end = records.size();
		RuntimeException failure = null;
		for (int i = 0; i < records.size(); i++) {
			RuntimeException problem = problem(records.get(i));
			if (problem != null) {
				end = i;
				failure = problem;
				break;
			}
		}
		List<ConsumerRecord<String, Object>> good = records.subList(0, end);
		Map<String, List<Object>> byUser = new LinkedHashMap<>();
		for (ConsumerRecord<String, Object> record : good) {
			if (record.value() instanceof PolicyVersionPublished policy) {
				this.view.apply(policy).block(Listeners.TIMEOUT);
			}
			else if (record.value() instanceof ConsentChanged changed) {
				byUser.computeIfAbsent(changed.getUserId(), (user) -> new ArrayList<>()).add(changed);
			}
			else if (record.value() instanceof ConsentStateRecorded state) {
				byUser.computeIfAbsent(state.getUserId(), (user) -> new ArrayList<>()).add(state);
			}
			else if (record.value() == null) {
				// A tombstone of the state topic (problem() let nothing else through).
				byUser.computeIfAbsent(record.key(), (user) -> new ArrayList<>())
					.add(new ConsentView.LedgerDeleted(record.key()));
			}
			else if (record.value() instanceof DeletionRequested deletion) {
				byUser.computeIfAbsent(deletion.getUserId(), (user) -> new ArrayList<>()).add(deletion);
			}
		}
		// A failure here is the database's, not the records': try again until it works
		// (the lag grows meanwhile, so sensitive shares are denied), never dead-letter a
		// withdrawal. Writes merge, so doing part of a batch twice changes nothing.
		for (long backoff = 100;; backoff = Math.min(backoff * 2, 5000)) {
			try {
				this.view.applyAll(byUser).block(Listeners.TIMEOUT);
				break;
			}
			catch (RuntimeException ex) {
				if (!this.running) {
					throw ex;
				}
				logger.warn("The consent view could not take {} records, trying again in {} ms: {}", good.size(),
						backoff, ex.toString());
				try {
					Thread.sleep(backoff);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					throw ex;
				}
			}
		}
		for (ConsumerRecord<String, Object> record : good) {
			this.processed.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1,
					Math::max);
		}
		this.taken.addAndGet(good.size());
		if (failure != null) {
			settle();
			throw new BatchListenerFailedException(failure.getMessage(), failure, end);
		}
		reached(consumer);
	}

	/**
	 * Takes the consumer's positions as processed, on the consumer's thread once every
	 * record it returned was taken: a position also passes the markers that end
	 * transactions (the state topic's records are written in transactions), which are no
	 * records, so the offset after the last record taken can stay short of the end
	 * offsets that the probes read.
	 */
	private void reached(Consumer<?, ?> consumer) {
		for (TopicPartition partition : consumer.assignment()) {
			try {
				long position = consumer.position(partition, Duration.ofSeconds(1));
				this.processed.merge(partition, position, Math::max);
			}
			catch (RuntimeException ex) {
				// Taken from the records alone until the next time.
				logger.debug("No position for {}: {}", partition, ex.toString());
			}
		}
		settle();
	}

	/** Why a record cannot be taken, or null. */
	private static RuntimeException problem(ConsumerRecord<String, Object> record) {
		Object value = record.value();
		if (value instanceof ConsentChanged || value instanceof ConsentStateRecorded
				|| value instanceof PolicyVersionPublished || value instanceof DeletionRequested) {
			return null;
		}
		DeserializationException unreadable = SerializationUtils.getExceptionFromHeader(record,
				SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, new LogAccessor(ConsentFeed.class));
		if (unreadable != null) {
			return unreadable;
		}
		if (value == null && record.key() != null && record.topic().equals(Topics.CONSENT_STATE.name())) {
			return null;
		}
		return new RejectedRecord("Record at offset " + record.offset() + " of " + record.topic() + " is "
				+ ((value != null) ? "a " + value.getClass().getSimpleName() : "empty")
				+ ", not what the topic carries");
	}

	/**
	 * How many records this instance took into the view since it started.
	 * @return the count
	 */
	public long taken() {
		return this.taken.get();
	}

	/**
	 * Records that a record was skipped or sent to the dead-letter topic, so that the lag
	 * does not wait for it.
	 * @param record the record
	 */
	public void skipped(ConsumerRecord<?, ?> record) {
		this.processed.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1, Math::max);
	}

	/**
	 * How often the end offsets of the consent topics were read: every probe interval,
	 * and for the decisions waiting for the view.
	 * @return the reads so far
	 */
	public long probes() {
		return this.probesRead.get();
	}

	/**
	 * How far behind the topics the view may be.
	 * @return the time since the view was last known complete, or null before the first
	 * time
	 */
	public Duration lag() {
		Instant asOf = this.completeAsOf;
		return (asOf != null) ? Duration.between(asOf, this.clock.instant()) : null;
	}

	/**
	 * The position the view reached in each partition.
	 * @return the offsets of the next records to take
	 */
	public Map<TopicPartition, Long> positions() {
		return Map.copyOf(this.processed);
	}

	private void probeSafely() {
		try {
			probe();
		}
		catch (Exception ex) {
			logger.debug("Could not read the end of the consent topics: {}", ex.toString());
		}
	}

	void probe() {
		Instant at = this.clock.instant();
		Map<TopicPartition, Long> ends;
		synchronized (this.probeLock) {
			Set<TopicPartition> partitions = probed();
			assignAtLeast(partitions);
			ends = this.ends.endOffsets(partitions, Listeners.TIMEOUT);
		}
		this.probesRead.incrementAndGet();
		synchronized (this.probes) {
			this.probes.addLast(new Probe(at, ends));
			// Keep the queue short: a probe newer than another makes the older one
			// pointless once both are reached, and the newest carries the most.
			while (this.probes.size() > 1000) {
				this.probes.removeFirst();
			}
		}
		settle();
	}

	/**
	 * The partitions a probe reads the ends of: all, but those of the state topic only
	 * until the view was complete once. From then on every change a state carries has
	 * come on the changes topic first (consent-service publishes a state after reading
	 * the change from there), so decisions need not wait for the states too.
	 */
	private Set<TopicPartition> probed() {
		if (this.completeAsOf == null) {
			return Set.copyOf(this.processed.keySet());
		}
		return this.processed.keySet()
			.stream()
			.filter((partition) -> !partition.topic().equals(Topics.CONSENT_STATE.name()))
			.collect(Collectors.toUnmodifiableSet());
	}

	/**
	 * Moves {@link #completeAsOf} to the newest probe the view has reached, and answers
	 * the decisions waiting for it.
	 */
	private void settle() {
		List<Waiter> answered = new ArrayList<>();
		synchronized (this.probes) {
			Probe reached = null;
			for (Probe probe : this.probes) {
				if (reachedBy(probe)) {
					reached = probe;
				}
			}
			if (reached != null) {
				this.completeAsOf = reached.at();
				while (!this.probes.isEmpty() && !this.probes.peekFirst().at().isAfter(reached.at())) {
					this.probes.removeFirst();
				}
			}
			Instant asOf = this.completeAsOf;
			if (asOf != null) {
				this.waiters.removeIf((waiter) -> !waiter.since().isAfter(asOf) && answered.add(waiter));
			}
		}
		answered.forEach((waiter) -> waiter.sink().success(true));
	}

	/**
	 * Waits for a probe that started at or after {@code since} to be reached by the view.
	 * Such a probe is asked for at once; the probes asked for while one runs are answered
	 * by one more, so a burst of decisions costs one or two reads of the end offsets.
	 */
	@Override
	public Mono<Boolean> caughtUpSince(Instant since, Duration within) {
		Instant asOf = this.completeAsOf;
		if (asOf != null && !asOf.isBefore(since)) {
			return Mono.just(true);
		}
		return Mono.<Boolean>create((sink) -> {
			Waiter waiter = new Waiter(since, sink);
			synchronized (this.probes) {
				this.waiters.add(waiter);
			}
			sink.onDispose(() -> {
				synchronized (this.probes) {
					this.waiters.remove(waiter);
				}
			});
			askProbe();
		}).timeout(within, Mono.just(false));
	}

	private void askProbe() {
		ScheduledExecutorService probing = this.scheduler;
		if (probing != null && this.running && this.probeAsked.compareAndSet(false, true)) {
			try {
				probing.execute(() -> {
					// Cleared before the probe starts: a decision that arrives from now
					// on asks for the next one.
					this.probeAsked.set(false);
					probeSafely();
				});
			}
			catch (RejectedExecutionException ex) {
				this.probeAsked.set(false);
			}
		}
	}

	private record Waiter(Instant since, MonoSink<Boolean> sink) {

	}

	private boolean reachedBy(Probe probe) {
		return probe.ends()
			.entrySet()
			.stream()
			.allMatch((end) -> this.processed.getOrDefault(end.getKey(), 0L) >= end.getValue());
	}

	private record Probe(Instant at, Map<TopicPartition, Long> ends) {

	}

	/**
	 * A consumer for the end offsets, with the connection and security settings of the
	 * admin client.
	 */
	private static KafkaConsumer<byte[], byte[]> endsConsumer(Map<String, Object> adminConfig) {
		Map<String, Object> config = new HashMap<>(adminConfig);
		config.keySet().retainAll(ConsumerConfig.configNames());
		// Unique in the process, as Kafka's client metrics need.
		config.put(ConsumerConfig.CLIENT_ID_CONFIG,
				"sharing-gateway-consent-view-ends-" + ENDS_CLIENTS.incrementAndGet());
		config.remove(ConsumerConfig.GROUP_ID_CONFIG);
		// End offsets as the view's consumer can read: up to the last stable offset, not
		// into a transaction still open (whose records are not published yet).
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
	}

	private List<TopicPartition> partitions() throws Exception {
		Map<String, TopicDescription> topics = this.admin.describeTopics(TOPICS)
			.allTopicNames()
			.get(Listeners.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		List<TopicPartition> partitions = new ArrayList<>();
		topics.values()
			.forEach((topic) -> topic.partitions()
				.forEach((partition) -> partitions.add(new TopicPartition(topic.name(), partition.partition()))));
		return partitions;
	}

	/** Where the partitions start, read with the probes' consumer. */
	private Map<TopicPartition, Long> earliest(List<TopicPartition> partitions) {
		synchronized (this.probeLock) {
			assignAtLeast(partitions);
			return this.ends.beginningOffsets(partitions, Listeners.TIMEOUT);
		}
	}

	/**
	 * Assigns the probes' consumer the partitions (it is never polled), so that it keeps
	 * the offsets it reads for them instead of warning about each one; under
	 * {@link #probeLock}.
	 */
	private void assignAtLeast(Collection<TopicPartition> partitions) {
		if (!this.ends.assignment().containsAll(partitions)) {
			Set<TopicPartition> assigned = new HashSet<>(this.ends.assignment());
			assigned.addAll(partitions);
			this.ends.assign(assigned);
		}
	}

	private Map<TopicPartition, Long> storedPositions() {
		Map<TopicPartition, Long> positions = new HashMap<>();
		this.mongo.findAll(Document.class, POSITIONS).doOnNext((document) -> {
			positions.put(new TopicPartition(document.getString("topic"), document.getInteger("partition")),
					document.get("offset", Number.class).longValue());
		}).blockLast(Listeners.TIMEOUT);
		return positions;
	}

	private void saveSafely() {
		try {
			save().block(Listeners.TIMEOUT);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not store the position of the consent view: {}", ex.toString());
		}
	}

	/**
	 * Stores the positions reached. A position only moves forward: another instance may
	 * have stored a further one, and the view holds everything before either.
	 */
	Mono<Void> save() {
		return Flux.fromIterable(this.processed.entrySet()).concatMap((entry) -> {
			TopicPartition partition = entry.getKey();
			long offset = entry.getValue();
			if (this.saved.getOrDefault(partition, -1L) >= offset) {
				return Mono.empty();
			}
			String id = partition.topic() + "/" + partition.partition();
			return this.mongo
				.updateFirst(Query.query(Criteria.where("_id").is(id).and("offset").lt(offset)),
						new Update().set("offset", offset), POSITIONS)
				.flatMap((result) -> (result.getMatchedCount() > 0) ? Mono.empty()
						: this.mongo
							.insert(new Document("_id", id).append("topic", partition.topic())
								.append("partition", partition.partition())
								.append("offset", offset), POSITIONS)
							.onErrorResume(DuplicateKeys::isDuplicateKey, (ex) -> Mono.empty())
							.then())
				.doOnSuccess((done) -> this.saved.put(partition, offset));
		}).then();
	}

}
