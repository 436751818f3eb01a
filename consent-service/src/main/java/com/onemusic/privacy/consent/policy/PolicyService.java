package com.onemusic.privacy.consent.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
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

	private final Runnable publishSoon;

	/**
	 * Creates the service.
	 * @param mongo the template
	 * @param catalog the scope catalog
	 * @param publishSoon wakes the outbox relay after a write
	 */
	public PolicyService(ReactiveMongoTemplate mongo, ScopeCatalog catalog, Runnable publishSoon) {
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
	 * Every published version, in order.
	 * @return the history
	 */
	public Mono<PolicyHistory> history() {
		return this.mongo.find(new Query(), PolicyVersion.class, PolicyVersion.COLLECTION)
			.collectList()
			.map(PolicyHistory::new);
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
		return history().flatMap((history) -> {
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
		return this.mongo.insert(version, PolicyVersion.COLLECTION).doOnSuccess((saved) -> this.publishSoon.run());
	}

}
