package com.onemusic.privacy.sharing.view;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.bson.Document;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.core.log.LogAccessor;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.BulkOperationException;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.ReactiveBulkOperations;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import com.onemusic.privacy.events.ConsentChanged;
import com.onemusic.privacy.events.ConsentStateRecorded;
import com.onemusic.privacy.events.ConsentStatus;
import com.onemusic.privacy.events.DeletionKind;
import com.onemusic.privacy.events.DeletionRequested;
import com.onemusic.privacy.events.MaterialChange;
import com.onemusic.privacy.events.PolicyVersionPublished;
import com.onemusic.privacy.events.ScopeConsentState;
import com.onemusic.privacy.platform.mongo.DuplicateKeys;
import com.onemusic.privacy.sharing.Deadlines;

/**
 * The gateway's view of every user's consents, of the policy versions and of the deletion
 * requests that stop sharing, built from the topics by {@link ConsentFeed}. Persisted in
 * MongoDB (one document per user), so that a restart goes on from where the view was
 * instead of reading all history again, with an in-memory cache in front.
 *
 * <p>
 * Every instance reads every partition and writes what it read; writes merge (per scope
 * the change with the higher ledger sequence wins; deletion marks are a union) under an
 * optimistic version check, so instances writing the same user converge, and the cache
 * merges the same way, so a read from MongoDB racing with the feed never puts an older
 * state in front of a newer one.
 */
public class ConsentView {

	private static final LogAccessor logger = new LogAccessor(ConsentView.class);

	public static final String USERS = "sharing_consent_view";

	public static final String POLICIES = "sharing_policy_view";

	/** The most users one read of their documents asks for. */
	public static final int MAX_USERS_PER_READ = 100;

	/** How long one read of users' documents may take before its users' reads fail. */
	public static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

	private static final int MAX_WRITE_ATTEMPTS = 20;

	/**
	 * Users written one by one at once, when a batch's bulk write met another's write.
	 */
	private static final int USERS_IN_PARALLEL = 32;

	private final ReactiveMongoTemplate mongo;

	private final Cache<String, UserState> cache;

	private volatile PolicyChain policies = PolicyChain.empty();

	/**
	 * Users asked for while a read was in flight, for the next; guards the flag below.
	 */
	private final Map<String, Sinks.One<Document>> toRead = new LinkedHashMap<>();

	/** Whether a read of users' documents is in flight. */
	private boolean reading;

	public ConsentView(ReactiveMongoTemplate mongo, int cacheSize) {
		this.mongo = mongo;
		this.cache = Caffeine.newBuilder().maximumSize(cacheSize).build();
	}

	/**
	 * Creates the index the optimistic write finds a user's document by: with it, the
	 * in-memory MongoDB-wire server answers an {@code {_id, version}} filter from an
	 * index instead of scanning (MongoDB itself uses the {@code _id} index either way).
	 * @return completion
	 */
	public Mono<Void> createIndexes() {
		return this.mongo.indexOps(USERS)
			.createIndex(new Index().on("_id", Sort.Direction.ASC).on("version", Sort.Direction.ASC).unique())
			.then();
	}

	/**
	 * Reads the policy versions the view holds.
	 * @return completion
	 */
	public Mono<Void> loadPolicies() {
		return this.mongo.findAll(Document.class, POLICIES)
			.map((document) -> new PolicyChain.Version(document.getString("_id"), document.getString("previousVersion"),
					Set.copyOf(document.getList("material", String.class, List.of()))))
			.collectList()
			.doOnNext((versions) -> this.policies = new PolicyChain(versions))
			.then();
	}

	public PolicyChain policies() {
		return this.policies;
	}

	/**
	 * What the view knows of a user.
	 * @param userId the user
	 * @return the state (empty for a user the view never saw)
	 */
	public Mono<UserState> user(String userId) {
		UserState cached = this.cache.getIfPresent(userId);
		if (cached != null) {
			return Mono.just(cached);
		}
		return read(userId).map(UserState::of)
			.defaultIfEmpty(UserState.empty(userId))
			.map((read) -> this.cache.asMap().merge(userId, read, UserState::merge));
	}

	/**
	 * Reads a user's document. Reads are coalesced: while one is in flight, the users
	 * asked for meanwhile wait and go together in the next ({@code _id $in}, at most
	 * {@link #MAX_USERS_PER_READ}), so a burst of decisions for users not in the cache
	 * costs a few queries, not one each. A read always starts after it was asked for, so
	 * it sees every write made before (what a decision's wait for the view relies on),
	 * and waits at most for the one in flight.
	 * @param userId the user
	 * @return the document, empty if there is none; fails when the read fails or takes
	 * longer than {@link #READ_TIMEOUT}
	 */
	Mono<Document> read(String userId) {
		return Mono.defer(() -> {
			Sinks.One<Document> read;
			boolean start;
			synchronized (this.toRead) {
				read = this.toRead.computeIfAbsent(userId, (id) -> Sinks.one());
				start = !this.reading;
				this.reading = true;
			}
			if (start) {
				readNext();
			}
			return read.asMono();
		});
	}

	/** The stored documents of these users (those that have one). */
	private Flux<Document> documentsOf(Collection<String> users) {
		return this.mongo.find(Query.query(Criteria.where("_id").in(users)), Document.class, USERS);
	}

	/** Reads the users waiting, up to the most one read asks for; then the next. */
	private void readNext() {
		Map<String, Sinks.One<Document>> batch = new HashMap<>();
		synchronized (this.toRead) {
			Iterator<Map.Entry<String, Sinks.One<Document>>> waiting = this.toRead.entrySet().iterator();
			while (waiting.hasNext() && batch.size() < MAX_USERS_PER_READ) {
				Map.Entry<String, Sinks.One<Document>> next = waiting.next();
				batch.put(next.getKey(), next.getValue());
				waiting.remove();
			}
			if (batch.isEmpty()) {
				this.reading = false;
				return;
			}
		}
		Mono.defer(() -> documentsOf(batch.keySet()).collectMap((document) -> document.getString("_id")))
			.timeout(READ_TIMEOUT)
			// The next read starts first: the users' decisions go on on this thread.
			.subscribe((found) -> {
				readNext();
				batch.forEach((userId, read) -> {
					Document document = found.get(userId);
					if (document != null) {
						read.tryEmitValue(document);
					}
					else {
						read.tryEmitEmpty();
					}
				});
			}, (failure) -> {
				logger.warn(failure, () -> "Could not read " + batch.size() + " user(s) of the consent view");
				readNext();
				batch.values().forEach((read) -> read.tryEmitError(failure));
			});
	}

	/**
	 * Takes users' consent changes, consent states and deletion requests into the view,
	 * one write per user. Changes without a ledger sequence (published by other backend
	 * services before consent-service recorded them) are not consents yet:
	 * consent-service checks them and publishes them again with their sequence. A state
	 * merges like the changes of its scopes (the newer change wins per scope), so states
	 * and changes taken in any order give the same view. A {@link LedgerDeleted} makes
	 * the view forget the user: the document is deleted.
	 *
	 * <p>
	 * The users' stored states are read together (queries of at most
	 * {@link #MAX_USERS_PER_READ} users) and their writes go in one unordered bulk
	 * command, each under its own version check. When any of them met another instance's
	 * write (a document inserted or changed since it was read), every user goes the
	 * one-user way again, which reads, merges and writes with retries; a write of the
	 * bulk that went through is then found unchanged and not repeated.
	 * @param eventsByUser each user's ConsentChanged, ConsentStateRecorded, LedgerDeleted
	 * and DeletionRequested, in order
	 * @return completion
	 */
	public Mono<Void> applyAll(Map<String, List<Object>> eventsByUser) {
		List<Change> changes = new ArrayList<>();
		eventsByUser.forEach((userId, events) -> {
			Change change = changeOf(userId, events);
			if (change != null) {
				changes.add(change);
			}
		});
		if (changes.isEmpty()) {
			return Mono.empty();
		}
		return Flux.fromIterable(changes)
			.map(Change::userId)
			.buffer(MAX_USERS_PER_READ)
			.concatMap(this::documentsOf)
			.collectMap((document) -> document.getString("_id"), Versioned::of)
			.map((stored) -> changes.stream()
				.map((change) -> Plan.of(change, stored.getOrDefault(change.userId(), Versioned.none(change.userId()))))
				.toList())
			.flatMap((plans) -> writeAll(plans).flatMap((written) -> {
				if (written) {
					plans.forEach((plan) -> cache(plan.change(), plan.next()));
					return Mono.<Void>empty();
				}
				return Flux.fromIterable(changes).flatMap(this::change, USERS_IN_PARALLEL).then();
			}));
	}

	/**
	 * Writes the plans that change something in one unordered bulk command.
	 * @return whether every write went through (false when one met another instance's)
	 */
	private Mono<Boolean> writeAll(List<Plan> plans) {
		Map<Write, Long> expected = plans.stream()
			.collect(Collectors.groupingBy(Plan::write, () -> new EnumMap<>(Write.class), Collectors.counting()));
		expected.remove(Write.NONE);
		if (expected.isEmpty()) {
			return Mono.just(true);
		}
		ReactiveBulkOperations bulk = this.mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, USERS);
		for (Plan plan : plans) {
			switch (plan.write()) {
				case INSERT -> bulk.insert(plan.next().toDocument(1));
				case UPDATE -> bulk.updateOne(plan.versioned(), setAll(plan.next().toDocument(plan.version() + 1)));
				case REMOVE -> bulk.remove(plan.versioned());
				case NONE -> {
					// Nothing to store.
				}
			}
		}
		return bulk.execute()
			.map((result) -> result.getInsertedCount() == expected.getOrDefault(Write.INSERT, 0L)
					&& result.getModifiedCount() == expected.getOrDefault(Write.UPDATE, 0L)
					&& result.getDeletedCount() == expected.getOrDefault(Write.REMOVE, 0L))
			// A duplicate key (another instance inserted a user first) or another write's
			// error: the one-user way finds out which, and fails for what really fails.
			.onErrorResume((ex) -> ex instanceof BulkOperationException || DuplicateKeys.isDuplicateKey(ex),
					(ex) -> Mono.just(false));
	}

	/**
	 * What a user's events do to the view, or null when they do nothing (changes
	 * published without a ledger sequence only).
	 */
	private static Change changeOf(String userId, List<Object> events) {
		List<UnaryOperator<UserState>> changes = new ArrayList<>();
		boolean forgets = false;
		for (Object event : events) {
			if (event instanceof ConsentChanged changed && changed.getSequence() != null) {
				ConsentState change = new ConsentState(changed.getScope(), changed.getStatus() == ConsentStatus.GRANTED,
						changed.getPolicyVersion(), changed.getSequence(), changed.getOccurredAt());
				changes.add((state) -> state.with(change));
			}
			else if (event instanceof ConsentStateRecorded recorded) {
				for (ScopeConsentState scope : recorded.getScopes()) {
					ConsentState change = new ConsentState(scope.getScope(), scope.getGranted(),
							scope.getPolicyVersion(), scope.getSequence(), scope.getChangedAt());
					changes.add((state) -> state.with(change));
				}
			}
			else if (event instanceof LedgerDeleted) {
				changes.add((state) -> UserState.empty(userId));
				forgets = true;
			}
			else if (event instanceof DeletionRequested deletion) {
				boolean closure = deletion.getKind() == DeletionKind.ACCOUNT_CLOSURE;
				ErasureMark mark = new ErasureMark(deletion.getRequestId(), closure,
						closure ? null : Deadlines.endOf(deletion.getDueDate()));
				changes.add((state) -> state.with(mark));
			}
		}
		if (changes.isEmpty()) {
			return null;
		}
		return new Change(userId, (state) -> {
			UserState next = state;
			for (UnaryOperator<UserState> change : changes) {
				next = change.apply(next);
			}
			return next;
		}, forgets);
	}

	/**
	 * Takes a policy version into the view.
	 * @param event the version
	 * @return completion
	 */
	public Mono<Void> apply(PolicyVersionPublished event) {
		Set<String> material = new java.util.TreeSet<>();
		for (MaterialChange change : event.getMaterialChanges()) {
			material.addAll(change.getScopes());
		}
		PolicyChain.Version version = new PolicyChain.Version(event.getVersion(), event.getPreviousVersion(), material);
		Document document = new Document("_id", version.version()).append("previousVersion", version.previousVersion())
			.append("material", List.copyOf(material))
			.append("effectiveFrom", Date.from(event.getEffectiveFrom()))
			.append("url", event.getUrl());
		return this.mongo.insert(document, POLICIES)
			.onErrorResume(DuplicateKeys::isDuplicateKey, (ex) -> Mono.empty())
			.then(Mono.fromRunnable(() -> this.policies = this.policies.with(version)));
	}

	/**
	 * Changes a user's stored state and then the cache: read, merge, write back under an
	 * optimistic version check, again on a conflict with another instance. A state the
	 * view knows nothing of is not stored (a stored one is deleted). After a change that
	 * forgot the user the cache takes the new state as it is instead of merging it.
	 */
	private Mono<Void> change(Change change) {
		return attempt(change, 1).doOnNext((state) -> cache(change, state)).then();
	}

	private void cache(Change change, UserState state) {
		if (change.forgets()) {
			this.cache.put(change.userId(), state);
		}
		else {
			this.cache.asMap().merge(change.userId(), state, UserState::merge);
		}
	}

	/** A user's stored state and its version, 0 when nothing is stored. */
	private Mono<Versioned> stored(String userId) {
		return read(userId).map(Versioned::of).defaultIfEmpty(Versioned.none(userId));
	}

	private Mono<UserState> attempt(Change change, int attempt) {
		return stored(change.userId()).flatMap((stored) -> {
			Plan plan = Plan.of(change, stored);
			Mono<Boolean> written = switch (plan.write()) {
				case NONE -> Mono.just(true);
				case INSERT -> this.mongo.insert(plan.next().toDocument(1), USERS)
					.thenReturn(true)
					.onErrorResume(DuplicateKeyException.class, (ex) -> Mono.just(false));
				case REMOVE ->
					this.mongo.remove(plan.versioned(), USERS).map((result) -> result.getDeletedCount() == 1);
				case UPDATE ->
					this.mongo.updateFirst(plan.versioned(), setAll(plan.next().toDocument(plan.version() + 1)), USERS)
						.map((result) -> result.getModifiedCount() == 1);
			};
			return written.flatMap((ok) -> {
				if (ok) {
					return Mono.just(plan.next());
				}
				if (attempt >= MAX_WRITE_ATTEMPTS) {
					return Mono.error(new IllegalStateException(
							"The consent view of a user kept changing under " + attempt + " attempts"));
				}
				return attempt(change, attempt + 1);
			});
		});
	}

	private static Update setAll(Document document) {
		Update update = new Update();
		document.forEach((field, value) -> {
			if (!"_id".equals(field)) {
				update.set(field, value);
			}
		});
		return update;
	}

	/**
	 * How many users the cache holds.
	 * @return the estimate
	 */
	public long cachedUsers() {
		return this.cache.estimatedSize();
	}

	/**
	 * A tombstone of the consent-state topic: consent-service deleted the user's ledger
	 * at the end of its retention period.
	 *
	 * @param userId the user
	 */
	public record LedgerDeleted(String userId) {

	}

	/**
	 * What a user's events do to the view.
	 *
	 * @param userId the user
	 * @param operator the change to the user's state
	 * @param forgets whether it forgets the user (the ledger was deleted)
	 */
	private record Change(String userId, UnaryOperator<UserState> operator, boolean forgets) {

	}

	/**
	 * How a change is stored: nothing, a first document, a new version, or a deletion.
	 */
	private enum Write {

		NONE, INSERT, UPDATE, REMOVE

	}

	/**
	 * A change applied to what is stored, and how to store it.
	 *
	 * @param change the change
	 * @param next the user's state after it
	 * @param version the stored version it was applied to, 0 when nothing was stored
	 * @param write how to store it
	 */
	private record Plan(Change change, UserState next, long version, Write write) {

		static Plan of(Change change, Versioned stored) {
			UserState next = change.operator().apply(stored.state());
			boolean unchanged = next == stored.state() && stored.version() > 0;
			boolean nothingToStore = next.isEmpty() && stored.version() == 0;
			Write write = (unchanged || nothingToStore) ? Write.NONE
					: (stored.version() == 0) ? Write.INSERT : next.isEmpty() ? Write.REMOVE : Write.UPDATE;
			return new Plan(change, next, stored.version(), write);
		}

		/** The stored document, if still at the version the change was applied to. */
		Query versioned() {
			return Query.query(Criteria.where("_id").is(this.change.userId()).and("version").is(this.version));
		}

	}

	private record Versioned(UserState state, long version) {

		/** Nothing stored for the user. */
		static Versioned none(String userId) {
			return new Versioned(UserState.empty(userId), 0);
		}

		static Versioned of(Document document) {
			return new Versioned(UserState.of(document), document.get("version", Number.class).longValue());
		}

	}

}
