package com.onemusic.privacy.platform.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.util.function.SingletonSupplier;

/**
 * Publishes what {@link OutboxSource}s hold: sends an entry's records, waits until Kafka
 * acknowledged all of them, then marks the entry published. A service hands each entry it
 * has just written to {@link #offer}, which publishes it at once without reading it back;
 * a sweep, run by the one instance holding the relay's lease, finds whatever is still
 * unpublished (left by a process that died, or by a failed send) and publishes it; it
 * leaves alone what the fast path is publishing at that moment. A process that dies
 * anywhere in between publishes the entry again when it (or another instance) comes back:
 * an event goes out at least once, with the same event id, and consumers de-duplicate by
 * that id, so it takes effect exactly once.
 *
 * <p>
 * Entries are published in the order they were offered, and a sweep publishes in id
 * order. Consumers order one user's events by sequence number, not by arrival, so an
 * entry that a sweep publishes late takes its right place.
 */
public class OutboxRelay implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(OutboxRelay.class);

	/** How many acknowledged entry ids {@link #sent} remembers. */
	private static final int RECENTLY_SENT = 50_000;

	private final List<OutboxSource> sources;

	private final KafkaTemplate<String, Object> kafka;

	private final MongoLease lease;

	private final Duration pollInterval;

	private final int batchSize;

	private final Duration sendTimeout;

	private final Object wakeUp = new Object();

	private final ConcurrentLinkedQueue<Offered> offered = new ConcurrentLinkedQueue<>();

	private long nextSweep;

	private final AtomicInteger offeredCount = new AtomicInteger();

	private final int maxOffered;

	/** How many marks run at once while the relay sends on. */
	private static final int MARKS = 4;

	/**
	 * How long acknowledged entries wait to be marked together with the next ones: under
	 * load one write marks many entries instead of one each. Nothing waits for the mark
	 * but a crash's republishing (and readers of the stored mark, who look from 50 ms
	 * on).
	 */
	static final Duration MARK_DELAY = Duration.ofMillis(20);

	/**
	 * Acknowledged entries not yet handed to a mark, per source; guards the one below.
	 */
	private final Map<OutboxSource, List<PendingEntry>> toMark = new LinkedHashMap<>();

	/** When the first of {@link #toMark} was acknowledged. */
	private long toMarkSince;

	private final Semaphore marking = new Semaphore(MARKS);

	/** Writers waiting for room in the backlog, see {@link #admission()}. */
	private final ConcurrentLinkedQueue<MonoSink<Void>> waiting = new ConcurrentLinkedQueue<>();

	/** Ids offered and not yet marked published: a sweep leaves them to the fast path. */
	private final Set<Object> inFlight = ConcurrentHashMap.newKeySet();

	/** Callers waiting for an entry's acknowledgement, by entry id. */
	private final Map<Object, Sinks.Empty<Void>> sentWaiters = new ConcurrentHashMap<>();

	/**
	 * The ids of the entries acknowledged last, so that a caller who asks just after the
	 * acknowledgement is answered at once; bounded, oldest dropped first.
	 */
	private final Map<Object, Boolean> recentlySent = new LinkedHashMap<>(1024, 0.75f, false) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<Object, Boolean> eldest) {
			return size() > RECENTLY_SENT;
		}

	};

	private volatile boolean sweepRequested = true;

	private boolean triggered;

	private volatile boolean running;

	private Thread thread;

	public OutboxRelay(List<OutboxSource> sources, KafkaTemplate<String, Object> kafka, MongoLease lease,
			Duration pollInterval, int batchSize, Duration sendTimeout) {
		this.sources = List.copyOf(sources);
		this.kafka = kafka;
		this.lease = lease;
		this.pollInterval = pollInterval;
		this.batchSize = batchSize;
		this.maxOffered = batchSize * 20;
		this.sendTimeout = sendTimeout;
	}

	/**
	 * What a service calls after writing an entry of a source: hands it to the relay if
	 * the relay runs (it does not in an instance started without it). The relay is looked
	 * up once, on the first write.
	 * @param relay the relay, if there is one
	 * @param source the source the written documents belong to
	 * @param <T> the document type
	 * @return the hand-over
	 */
	public static <T> Consumer<T> offerTo(ObjectProvider<OutboxRelay> relay, OutboxSource source) {
		SingletonSupplier<OutboxRelay> available = SingletonSupplier.of(relay::getIfAvailable);
		return (document) -> {
			OutboxRelay found = available.get();
			if (found != null) {
				found.offer(source, document);
			}
		};
	}

	/**
	 * Hands over an entry just written, to be published at once. Never blocks.
	 * @param source the source that holds it
	 * @param document the document written
	 */
	public void offer(OutboxSource source, Object document) {
		if (this.offeredCount.get() >= this.maxOffered) {
			// Behind: the entry stays unpublished in the database and the sweep takes it,
			// so memory stays bounded however far writes run ahead of Kafka.
			wake();
			return;
		}
		PendingEntry entry = source.entryOf(document);
		this.inFlight.add(entry.id());
		this.offeredCount.incrementAndGet();
		this.offered.add(new Offered(source, entry));
		wake();
	}

	/**
	 * Completes when the relay can take another entry soon: no more than one batch waits
	 * for the fast path. A writer that waits on it before writing (an API request) is
	 * slowed to the pace at which Kafka takes its entries, instead of running ahead and
	 * leaving its entries to the far slower sweep. Writers let through at once may exceed
	 * the batch by at most their number. Gives up with {@link OutboxBusyException} after
	 * the send timeout, e.g. while Kafka is unreachable.
	 * @return completion, or the busy error
	 */
	public Mono<Void> admission() {
		if (hasRoom()) {
			return Mono.empty();
		}
		return Mono.<Void>create((sink) -> {
			sink.onCancel(() -> this.waiting.remove(sink));
			this.waiting.add(sink);
			// The relay may have made room between the check and the queueing.
			admitWaiting();
		})
			.timeout(this.sendTimeout, Mono.error(() -> new OutboxBusyException(
					"Changes are being accepted faster than they can be published; try again shortly")));
	}

	private boolean hasRoom() {
		return this.offeredCount.get() < this.batchSize;
	}

	private void admitWaiting() {
		while (hasRoom()) {
			MonoSink<Void> next = this.waiting.poll();
			if (next == null) {
				return;
			}
			next.success();
		}
	}

	/**
	 * Completes once this relay has had an entry's messages acknowledged by Kafka, at
	 * once if that happened among the last {@value #RECENTLY_SENT} entries. It does not
	 * complete for an entry another instance publishes: a caller that must know combines
	 * it with a look at the stored entry's mark.
	 * @param id the entry's id
	 * @return completion on acknowledgement
	 */
	public Mono<Void> sent(Object id) {
		Sinks.Empty<Void> sink = this.sentWaiters.computeIfAbsent(id, (key) -> Sinks.empty());
		// Registered first, then the recent acknowledgements looked at: an
		// acknowledgement between the two either finds the waiter or is found here.
		synchronized (this.recentlySent) {
			if (this.recentlySent.containsKey(id)) {
				this.sentWaiters.remove(id, sink);
				return Mono.empty();
			}
		}
		// Signalled on the relay's thread: the caller goes on elsewhere, so that the
		// relay is not held up by what the caller does next (an answer to write, say).
		return sink.asMono().doOnCancel(() -> this.sentWaiters.remove(id, sink)).publishOn(Schedulers.parallel());
	}

	/** Asks the relay to sweep for unpublished entries now. Never blocks. */
	public void trigger() {
		this.sweepRequested = true;
		wake();
	}

	private void wake() {
		synchronized (this.wakeUp) {
			this.triggered = true;
			this.wakeUp.notifyAll();
		}
	}

	/**
	 * How many offered entries wait for the fast path.
	 * @return the backlog held in memory
	 */
	int offeredBacklog() {
		return this.offeredCount.get();
	}

	@Override
	public void start() {
		this.running = true;
		this.thread = new Thread(this::run, "outbox-relay");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	@Override
	public void stop() {
		this.running = false;
		trigger();
		for (MonoSink<Void> writer = this.waiting.poll(); writer != null; writer = this.waiting.poll()) {
			writer.error(new OutboxBusyException("The service is shutting down; try again shortly"));
		}
		if (this.thread != null) {
			try {
				this.thread.join(this.sendTimeout.toMillis() + 1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		awaitMarks();
		try {
			this.lease.release();
		}
		catch (RuntimeException ex) {
			logger.debug("Could not release the outbox lease: {}", ex.toString());
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// Stops before the Kafka producer and MongoDB client it uses.
		return SmartLifecycle.DEFAULT_PHASE - 100;
	}

	private void run() {
		while (this.running) {
			boolean more = false;
			try {
				more = publishOffered();
				if (this.sweepRequested || System.nanoTime() >= this.nextSweep) {
					this.sweepRequested = false;
					this.nextSweep = System.nanoTime() + this.pollInterval.toNanos();
					if (this.lease.tryAcquire()) {
						for (OutboxSource source : this.sources) {
							more |= drain(source);
						}
					}
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Outbox relay round failed, will retry: {}", ex.toString());
			}
			markDue(false);
			if (!more && this.offered.isEmpty()) {
				await(marksWaiting() ? MARK_DELAY : this.pollInterval);
			}
		}
	}

	/** Publishes offered entries, in offer order, one batch. */
	private boolean publishOffered() {
		Map<OutboxSource, List<PendingEntry>> bySource = new LinkedHashMap<>();
		for (int i = 0; i < this.batchSize; i++) {
			Offered next = this.offered.poll();
			if (next == null) {
				break;
			}
			this.offeredCount.decrementAndGet();
			if (sentAlready(next.entry())) {
				// The sweep found the entry between its write and its offer and sent it.
				// Its mark is done or due before the next sweep reads (awaitMarks).
				this.inFlight.remove(next.entry().id());
				continue;
			}
			bySource.computeIfAbsent(next.source(), (source) -> new ArrayList<>()).add(next.entry());
		}
		admitWaiting();
		bySource.forEach(this::publish);
		return !this.offered.isEmpty();
	}

	private boolean sentAlready(PendingEntry entry) {
		synchronized (this.recentlySent) {
			return this.recentlySent.containsKey(entry.id());
		}
	}

	private void await(Duration atMost) {
		synchronized (this.wakeUp) {
			if (!this.triggered && this.running) {
				try {
					this.wakeUp.wait(Math.max(1, atMost.toMillis()));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					this.running = false;
				}
			}
			this.triggered = false;
		}
	}

	/**
	 * Publishes one batch of a source.
	 * @return whether the batch was full, so that more may wait
	 */
	boolean drain(OutboxSource source) {
		// An entry whose mark is still running would be found unpublished.
		awaitMarks();
		List<PendingEntry> found = source.pending(this.batchSize).collectList().block(this.sendTimeout);
		if (found == null || found.isEmpty()) {
			return false;
		}
		List<PendingEntry> batch = found.stream().filter((entry) -> !this.inFlight.contains(entry.id())).toList();
		if (batch.isEmpty()) {
			// Everything found is being published by the fast path right now.
			return false;
		}
		batch.forEach((entry) -> this.inFlight.add(entry.id()));
		return publish(source, batch) && found.size() == this.batchSize;
	}

	/**
	 * Sends the records of entries and marks those whose records were all acknowledged,
	 * in order up to the first failure. The mark (and the source's step before it) runs
	 * while the relay sends the next batches, together with theirs when they come within
	 * {@link #MARK_DELAY}; the entries stay in flight, so a sweep leaves them alone,
	 * until it is done.
	 * @return whether every entry was sent
	 */
	private boolean publish(OutboxSource source, List<PendingEntry> batch) {
		List<PendingEntry> published = new ArrayList<>();
		try {
			List<List<CompletableFuture<SendResult<String, Object>>>> sends = new ArrayList<>();
			for (PendingEntry entry : batch) {
				List<CompletableFuture<SendResult<String, Object>>> entrySends = new ArrayList<>();
				for (OutboxMessage message : entry.messages()) {
					entrySends.add(this.kafka.send(message.topic(), message.key(), message.value()));
				}
				sends.add(entrySends);
			}
			for (int i = 0; i < batch.size(); i++) {
				try {
					for (CompletableFuture<SendResult<String, Object>> send : sends.get(i)) {
						send.get(this.sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
					}
					published.add(batch.get(i));
					synchronized (this.recentlySent) {
						this.recentlySent.put(batch.get(i).id(), Boolean.TRUE);
					}
					Sinks.Empty<Void> waiting = this.sentWaiters.remove(batch.get(i).id());
					if (waiting != null) {
						waiting.tryEmitEmpty();
					}
				}
				catch (Exception ex) {
					if (ex instanceof InterruptedException) {
						Thread.currentThread().interrupt();
					}
					logger.warn("Publishing {} entry {} failed, the sweep will retry: {}", source.name(),
							batch.get(i).id(), ex.toString());
					break;
				}
			}
		}
		finally {
			// What was not sent is the sweep's again.
			batch.subList(published.size(), batch.size()).forEach((entry) -> this.inFlight.remove(entry.id()));
		}
		if (!published.isEmpty()) {
			synchronized (this.toMark) {
				if (this.toMark.isEmpty()) {
					this.toMarkSince = System.nanoTime();
				}
				this.toMark.computeIfAbsent(source, (key) -> new ArrayList<>()).addAll(published);
			}
			markDue(false);
		}
		return published.size() == batch.size();
	}

	private boolean marksWaiting() {
		synchronized (this.toMark) {
			return !this.toMark.isEmpty();
		}
	}

	/**
	 * Hands the acknowledged entries to marks once a batch of them waits, or the first of
	 * them waited {@link #MARK_DELAY}; with {@code now}, at once.
	 */
	private void markDue(boolean now) {
		Map<OutboxSource, List<PendingEntry>> due;
		synchronized (this.toMark) {
			int waiting = this.toMark.values().stream().mapToInt(List::size).sum();
			if (waiting == 0 || !(now || waiting >= this.batchSize
					|| System.nanoTime() - this.toMarkSince >= MARK_DELAY.toNanos())) {
				return;
			}
			due = new LinkedHashMap<>(this.toMark);
			this.toMark.clear();
		}
		due.forEach(this::mark);
	}

	/**
	 * Marks sent entries published, without waiting; waits only when too many marks are
	 * still running.
	 */
	private void mark(OutboxSource source, List<PendingEntry> sent) {
		if (sent.isEmpty()) {
			return;
		}
		try {
			this.marking.acquire();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			sent.forEach((entry) -> this.inFlight.remove(entry.id()));
			return;
		}
		source.markPublished(sent).timeout(this.sendTimeout).doFinally((signal) -> {
			// Whatever was not marked is the sweep's again.
			sent.forEach((entry) -> this.inFlight.remove(entry.id()));
			this.marking.release();
		})
			.subscribe(null, (ex) -> logger.warn("Marking {} {} entries published failed, the sweep will retry: {}",
					sent.size(), source.name(), ex.toString()));
	}

	/**
	 * Marks what waits and waits until running marks are done, e.g. before a sweep reads,
	 * or at shutdown.
	 */
	private void awaitMarks() {
		markDue(true);
		try {
			if (this.marking.tryAcquire(MARKS, this.sendTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
				this.marking.release(MARKS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private record Offered(OutboxSource source, PendingEntry entry) {

	}

}
