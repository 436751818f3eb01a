package com.onemusic.privacy.consent.ledger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

import org.springframework.data.mongodb.core.BulkOperations.BulkMode;
import org.springframework.data.mongodb.core.ReactiveBulkOperations;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

/**
 * Where each user's ledger stands, as far as this instance knows: the heads
 * ({@link ConsentHead}) in MongoDB, with the heads this instance moved recently kept in
 * memory, and head writes collected and written in bulk behind the requests.
 *
 * <p>
 * A head is never the truth, only where to start: a change is an insert of the next
 * sequence number, which fails if any entry came after the head (numbers have no gaps),
 * and readers walk forward from it. So a head kept in memory that another instance has
 * overtaken, a head write lost in a crash, or two writes landing out of order cost a
 * retry or a few more lookups, never a wrong entry. That is what lets the heads be
 * written behind the requests: a change then takes one round trip (the insert) when its
 * user's head is in memory.
 */
public class ConsentHeads {

	private static final Logger logger = LoggerFactory.getLogger(ConsentHeads.class);

	/**
	 * How many head writes wait at most; beyond that a write is skipped (a head lags).
	 */
	private static final int QUEUE = 8192;

	/** How long a head write waits for others to go with it. */
	private static final Duration WRITE_DELAY = Duration.ofMillis(50);

	/** How many heads are written in one bulk write at most. */
	private static final int BULK = 500;

	private final ReactiveMongoTemplate mongo;

	private final Map<String, Snapshot> recent;

	private final Sinks.Many<Snapshot> writes = Sinks.many()
		.unicast()
		.onBackpressureBuffer(Queues.<Snapshot>get(QUEUE).get());

	private final CompletableFuture<Void> written;

	/**
	 * Creates the store and starts writing heads behind.
	 * @param mongo the template
	 * @param cacheSize how many users' heads to keep in memory (0 for none)
	 */
	public ConsentHeads(ReactiveMongoTemplate mongo, int cacheSize) {
		this.mongo = mongo;
		this.recent = new LinkedHashMap<>(Math.min(cacheSize, 1024), 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Snapshot> eldest) {
				return size() > cacheSize;
			}

		};
		this.written = this.writes.asFlux()
			// Heads are only where to start, so they may wait a little: under load one
			// write then carries many.
			.bufferTimeout(BULK, WRITE_DELAY)
			.concatMap((batch) -> write(batch).onErrorResume((ex) -> {
				logger.warn("Could not write {} consent heads; they lag behind their ledgers: {}", batch.size(),
						ex.toString());
				return Mono.empty();
			}))
			.then()
			.toFuture();
	}

	/**
	 * The head to plan a change on: this instance's latest if it has one, else the stored
	 * one. It may be behind the ledger.
	 * @param userId the user
	 * @return the head
	 */
	Mono<Snapshot> forWrite(String userId) {
		Snapshot known = inMemory(userId);
		return (known != null) ? Mono.just(known) : stored(userId);
	}

	/**
	 * This instance's latest head of a user: the snapshot after the last entry it
	 * recorded, or null.
	 * @param userId the user
	 * @return the snapshot, or null
	 */
	Snapshot inMemory(String userId) {
		synchronized (this.recent) {
			return this.recent.get(userId);
		}
	}

	/**
	 * The stored head, which may be behind the ledger. Whether the account is closed is
	 * taken from the head when this release wrote it for its sequence number, else from
	 * the record of the closure ({@link ClosedAccounts}, kept as long as the ledger): a
	 * head stored before heads carried the mark, or moved by an earlier release during a
	 * rolling upgrade, says nothing about a closure.
	 * @param userId the user
	 * @return the head, or the empty snapshot
	 */
	Mono<Snapshot> stored(String userId) {
		return this.mongo.findById(userId, ConsentHead.class, ConsentHead.COLLECTION)
			.flatMap((head) -> Boolean.TRUE.equals(head.closed()) || knowsClosure(head)
					? Mono.just(Snapshot.of(head, Boolean.TRUE.equals(head.closed())))
					: this.mongo.exists(Query.query(Criteria.where("_id").is(userId)), ClosedAccounts.COLLECTION)
						.map((closed) -> Snapshot.of(head, closed)))
			.defaultIfEmpty(Snapshot.empty(userId));
	}

	private static boolean knowsClosure(ConsentHead head) {
		return head.closed() != null && head.closedAsOf() != null && head.closedAsOf() == head.sequence();
	}

	/**
	 * Records that a user's ledger reached a snapshot: at once in memory, in MongoDB
	 * shortly after.
	 * @param snapshot the snapshot after the user's newest entry
	 */
	void moved(Snapshot snapshot) {
		synchronized (this.recent) {
			Snapshot known = this.recent.get(snapshot.userId());
			if (known == null || known.sequence() < snapshot.sequence()) {
				this.recent.put(snapshot.userId(), snapshot);
			}
		}
		if (this.writes.tryEmitNext(snapshot).isFailure()) {
			logger.debug("Consent head write skipped, too many waiting");
		}
	}

	/**
	 * Forgets what this instance knows of a user, after finding that its head was behind.
	 * @param userId the user
	 */
	void forget(String userId) {
		synchronized (this.recent) {
			this.recent.remove(userId);
		}
	}

	/**
	 * Deletes what is stored of a user's head, and forgets it here.
	 * @param userId the user
	 * @return completion
	 */
	Mono<Void> delete(String userId) {
		forget(userId);
		return this.mongo.remove(Query.query(Criteria.where("_id").is(userId)), ConsentHead.COLLECTION).then();
	}

	private Mono<Void> write(List<Snapshot> batch) {
		Map<String, Snapshot> newest = new LinkedHashMap<>();
		for (Snapshot snapshot : batch) {
			newest.merge(snapshot.userId(), snapshot,
					(held, offered) -> (offered.sequence() > held.sequence()) ? offered : held);
		}
		// By primary key alone, which every MongoDB answers from its _id index. Two
		// instances may leave a head at the older of their writes: readers walk forward.
		ReactiveBulkOperations bulk = this.mongo.bulkOps(BulkMode.UNORDERED, ConsentHead.COLLECTION);
		newest.values()
			.forEach((snapshot) -> bulk.upsert(Query.query(Criteria.where("_id").is(snapshot.userId())),
					new Update().set("sequence", snapshot.sequence())
						.set("hash", snapshot.hash())
						.set("birthDate", snapshot.birthDate())
						.set("states", new ArrayList<>(snapshot.states().values()))
						.set("closed", snapshot.closed())
						.set("closedAsOf", snapshot.sequence())));
		return bulk.execute().then();
	}

	/** Writes what waits and stops; called on shutdown. */
	public void close() {
		this.writes.tryEmitComplete();
		try {
			this.written.get(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// Heads not written only lag behind their ledgers.
			logger.debug("Stopping the consent head writer: {}", ex.toString());
		}
	}

}
