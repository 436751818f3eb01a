package com.onemusic.privacy.consent.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Query;

import com.onemusic.privacy.consent.ConsentProperties;
import com.onemusic.privacy.consent.scope.ScopeCatalog;
import com.onemusic.privacy.platform.mongo.DuplicateKeys;
import com.onemusic.privacy.platform.web.ApiProblem;

/**
 * Publishes policy versions and answers which version is in force. Versions are few and
 * read from MongoDB on every use, so that every instance sees a new version at once.
 */
public class PolicyService {

	/** Version names: letters, digits, dot, underscore, hyphen. */
	public static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._-]{1,32}");

	private final ReactiveMongoTemplate mongo;

	private final ScopeCatalog catalog;

	/**
	 * How long a read of the versions is reused; a version not found is looked up again
	 * at once.
	 */
	static final Duration CACHE_TIME = Duration.ofSeconds(2);

	private final Consumer<PolicyVersion> publishSoon;

	private final AtomicReference<Cached> cache = new AtomicReference<>();

	/**
	 * Creates the service.
	 * @param mongo the template
	 * @param catalog the scope catalog
	 * @param publishSoon hands a new version to the outbox relay
	 */
	public PolicyService(ReactiveMongoTemplate mongo, ScopeCatalog catalog, Consumer<PolicyVersion> publishSoon) {
		this.mongo = mongo;
		this.catalog = catalog;
		this.publishSoon = publishSoon;
	}

	/**
	 * Creates the indexes and publishes the initial version if none exists yet.
	 * @param initial the configured initial version
	 * @return completion
	 */
	public Mono<Void> initialize(ConsentProperties.InitialPolicy initial) {
		return this.mongo.indexOps(PolicyVersion.COLLECTION)
			.createIndex(new Index().on("order", Sort.Direction.ASC).unique())
			.then(history())
			.flatMap((history) -> history.current().isPresent() ? Mono.empty()
					: insert(new PolicyVersion(initial.version(), 1, null, initial.url(), initial.effectiveFrom(),
							Instant.now(), List.of(), UUID.randomUUID(), false))
						.onErrorResume(DuplicateKeys::isDuplicateKey, (ex) -> Mono.empty()))
			.then();
	}

	/**
	 * Every published version, in order. Read from MongoDB at most every
	 * {@link #CACHE_TIME}, so that another instance's new version is seen soon.
	 * @return the history
	 */
	public Mono<PolicyHistory> history() {
		Cached cached = this.cache.get();
		if (cached != null && cached.until() > System.nanoTime()) {
			return Mono.just(cached.history());
		}
		return freshHistory();
	}

	/**
	 * Every published version, read now.
	 * @return the history
	 */
	public Mono<PolicyHistory> freshHistory() {
		return this.mongo.find(new Query(), PolicyVersion.class, PolicyVersion.COLLECTION)
			.collectList()
			.map(PolicyHistory::new)
			.doOnNext((history) -> this.cache.set(new Cached(history, System.nanoTime() + CACHE_TIME.toNanos())));
	}

	/**
	 * The history, read again if it does not know a version yet (it may have been
	 * published by another instance a moment ago).
	 * @param version a version that should be known
	 * @return the history
	 */
	public Mono<PolicyHistory> historyKnowing(String version) {
		return history().flatMap((history) -> history.find(version).isPresent() ? Mono.just(history) : freshHistory());
	}

	private record Cached(PolicyHistory history, long until) {

	}

	/**
	 * Publishes a new version.
	 * @param version the version name
	 * @param url where it is published
	 * @param effectiveFrom when it comes into force, or null for now
	 * @param changes its material changes
	 * @return the published version
	 */
	public Mono<PolicyVersion> publish(String version, String url, Instant effectiveFrom,
			List<MaterialChange> changes) {
		if (version == null || !VERSION.matcher(version).matches()) {
			return Mono.error(ApiProblem.badRequest("invalid-policy-version",
					"Policy versions are 1 to 32 letters, digits, '.', '_' or '-'"));
		}
		List<String> unknown = new ArrayList<>();
		for (MaterialChange change : changes) {
			if (change.scopes().isEmpty()) {
				return Mono.error(ApiProblem.badRequest("invalid-material-change",
						"A material change must name the scopes it affects"));
			}
			change.scopes().stream().filter((scope) -> !this.catalog.contains(scope)).forEach(unknown::add);
		}
		if (!unknown.isEmpty()) {
			return Mono.error(new ApiProblem(org.springframework.http.HttpStatus.BAD_REQUEST, "unknown-scope",
					"Unknown scope codes: " + unknown, java.util.Map.of("items", unknown)));
		}
		return freshHistory().flatMap((history) -> {
			if (history.find(version).isPresent()) {
				return Mono.error(ApiProblem.conflict("policy-version-exists",
						"Policy version '" + version + "' was already published"));
			}
			Optional<PolicyVersion> current = history.current();
			PolicyVersion next = new PolicyVersion(version, current.map(PolicyVersion::order).orElse(0L) + 1,
					current.map(PolicyVersion::version).orElse(null), url,
					(effectiveFrom != null) ? effectiveFrom : Instant.now(), Instant.now(), changes, UUID.randomUUID(),
					false);
			return insert(next).onErrorMap(DuplicateKeys::isDuplicateKey,
					(ex) -> ApiProblem.conflict("policy-version-exists",
							"Policy version '" + version + "' or another version was published at the same time"));
		});
	}

	private Mono<PolicyVersion> insert(PolicyVersion version) {
		return this.mongo.insert(version, PolicyVersion.COLLECTION).doOnSuccess((saved) -> {
			this.cache.set(null);
			this.publishSoon.accept(saved);
		});
	}

}
