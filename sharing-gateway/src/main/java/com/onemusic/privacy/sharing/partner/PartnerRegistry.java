package com.onemusic.privacy.sharing.partner;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpStatus;

import com.onemusic.privacy.platform.web.ApiProblem;
import com.onemusic.privacy.sharing.partner.PartnerSpec.PurposeContract;

/**
 * The partners data may be shared with, and their data contracts. Partners named in the
 * configuration are written at every start (the configuration is their source of truth,
 * and the admin API cannot change them); the admin API manages the others. Every instance
 * keeps all partners in memory and reads them again every few seconds, so a change made
 * on one instance reaches the others soon. Their secrets are stored sealed
 * ({@link PartnerSecrets}); a partner stored before that, or under a retired key, is
 * sealed again at start.
 */
public class PartnerRegistry implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(PartnerRegistry.class);

	static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{1,63}");

	static final Pattern PURPOSE = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

	static final Pattern FIELD = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

	static final Pattern CATEGORY = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

	static final Pattern SCOPE = Pattern.compile("[a-z0-9][a-z0-9.-]{0,127}");

	static final String SECRET_PREFIX = "whsec_";

	private final ReactiveMongoTemplate mongo;

	private final PartnerSecrets secrets;

	/** Partners whose secrets do not open, as last reported. */
	private final Set<String> leftOut = ConcurrentHashMap.newKeySet();

	private final Duration refreshInterval;

	private volatile Map<String, Partner> partners = Map.of();

	private Disposable refresher;

	public PartnerRegistry(ReactiveMongoTemplate mongo, PartnerSecrets secrets, Duration refreshInterval) {
		this.mongo = mongo;
		this.secrets = secrets;
		this.refreshInterval = refreshInterval;
	}

	/**
	 * Writes the configured partners, loads every partner and starts the refresh.
	 * @param configured the partners of the configuration
	 * @return completion
	 * @throws IllegalStateException if a configured partner is invalid
	 */
	public Mono<Void> initialize(List<PartnerSpec> configured) {
		List<Partner> checked = new ArrayList<>();
		for (PartnerSpec spec : configured) {
			List<String> errors = check(spec.id(), spec);
			if (!errors.isEmpty()) {
				throw new IllegalStateException(
						"Partner '" + spec.id() + "' in the configuration is invalid: " + errors);
			}
			checked.add(toPartner(spec.id(), spec, Partner.CONFIGURATION));
		}
		return Flux.fromIterable(checked)
			.concatMap((partner) -> this.mongo.save(this.secrets.sealed(partner), Partner.COLLECTION))
			.then(sealAgain())
			.then(refresh())
			.doOnSuccess((done) -> this.refresher = Flux.interval(this.refreshInterval)
				.onBackpressureDrop()
				.concatMap((tick) -> refresh().onErrorResume((ex) -> {
					logger.warn("Could not read the partners again: {}", ex.toString());
					return Mono.empty();
				}))
				.subscribe());
	}

	/**
	 * Reads every partner now.
	 * @return completion
	 */
	public Mono<Void> refresh() {
		return this.mongo.find(new Query(), Partner.class, Partner.COLLECTION).flatMapIterable((stored) -> {
			try {
				return List.of(this.secrets.opened(stored));
			}
			catch (IllegalStateException ex) {
				// Left out, so nothing is shared with it and its callbacks are refused,
				// rather than used with secrets that are not its own. Said once, not at
				// every refresh.
				if (this.leftOut.add(stored.id())) {
					logger.error("Partner {} is left out: {}", stored.id(), ex.getMessage());
				}
				return List.of();
			}
		}).collectMap(Partner::id).doOnNext((read) -> {
			this.leftOut.removeAll(read.keySet());
			this.partners = Map.copyOf(read);
		}).then();
	}

	/**
	 * Seals the secrets of partners stored before they were sealed, or under a retired
	 * key. Each is written only if it is still as read, so a change made meanwhile
	 * through the API is not undone.
	 */
	private Mono<Void> sealAgain() {
		return this.mongo.find(new Query(), Partner.class, Partner.COLLECTION)
			.filter(this.secrets::needsSealing)
			.concatMap((stored) -> Mono.defer(() -> {
				Partner sealed = this.secrets.sealed(this.secrets.opened(stored));
				Query unchanged = Query.query(Criteria.where("_id")
					.is(stored.id())
					.and("webhookSecret")
					.is(stored.webhookSecret())
					.and("updatedAt")
					.is(stored.updatedAt()));
				return this.mongo.updateFirst(unchanged,
						new Update().set("webhookSecret", sealed.webhookSecret())
							.set("previousWebhookSecret", sealed.previousWebhookSecret())
							.set("callbackSecrets", sealed.callbackSecrets()),
						Partner.COLLECTION);
			}).doOnNext((result) -> {
				if (result.getModifiedCount() > 0) {
					logger.info("The secrets of partner {} are sealed under the current key now", stored.id());
				}
			}).onErrorResume(IllegalStateException.class, (ex) -> {
				logger.error("The secrets of partner {} could not be sealed again: {}", stored.id(), ex.getMessage());
				return Mono.empty();
			}), 1)
			.then();
	}

	@Override
	public void close() {
		if (this.refresher != null) {
			this.refresher.dispose();
		}
	}

	public Optional<Partner> find(String id) {
		return Optional.ofNullable(this.partners.get(id));
	}

	/**
	 * Every partner, by id.
	 * @return the partners
	 */
	public List<Partner> all() {
		return this.partners.values().stream().sorted(Comparator.comparing(Partner::id)).toList();
	}

	/**
	 * Creates or replaces a partner managed through the API.
	 * @param id the partner id
	 * @param spec what it is to be
	 * @return the stored partner, and whether it is new
	 */
	public Mono<Written> put(String id, PartnerSpec spec) {
		List<String> errors = check(id, spec);
		if (!errors.isEmpty()) {
			return Mono.error(new ApiProblem(HttpStatus.BAD_REQUEST, "invalid-partner",
					"The partner is invalid: " + String.join("; ", errors), Map.of("errors", errors)));
		}
		return this.mongo.findById(id, Partner.class, Partner.COLLECTION)
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((existing) -> {
				if (existing.isPresent() && Partner.CONFIGURATION.equals(existing.get().managedBy())) {
					return Mono.error(ApiProblem.conflict("partner-managed-by-configuration",
							"Partner '" + id + "' is defined in the service's configuration; change it there"));
				}
				Partner partner = toPartner(id, spec, Partner.API);
				return this.mongo.save(this.secrets.sealed(partner), Partner.COLLECTION)
					.flatMap((saved) -> refresh().thenReturn(new Written(partner, existing.isEmpty())));
			});
	}

	/**
	 * A stored partner.
	 *
	 * @param partner the partner
	 * @param created whether it did not exist before
	 */
	public record Written(Partner partner, boolean created) {

	}

	private static Partner toPartner(String id, PartnerSpec spec, String managedBy) {
		return new Partner(id, spec.name().strip(), spec.category(), spec.active() == null || spec.active(),
				spec.webhookUrl(), spec.webhookSecret(), spec.previousWebhookSecret(),
				List.copyOf(spec.callbackSecrets()), new LinkedHashMap<>(spec.purposes()), managedBy, Instant.now());
	}

	/**
	 * Everything wrong with a partner, never quoting a secret.
	 * @param id the partner id
	 * @param spec the partner
	 * @return the errors, empty when it is valid
	 */
	static List<String> check(String id, PartnerSpec spec) {
		List<String> errors = new ArrayList<>();
		if (id == null || !ID.matcher(id).matches()) {
			errors.add("id must be 2 to 64 lower-case letters, digits or hyphens");
		}
		if (spec.id() != null && !spec.id().equals(id)) {
			errors.add("id in the body differs from the id in the path");
		}
		if (spec.name() == null || spec.name().isBlank() || spec.name().length() > 200) {
			errors.add("name is required (at most 200 characters)");
		}
		if (spec.category() == null) {
			errors.add("category is required");
		}
		checkUrl(spec.webhookUrl(), errors);
		if (!isSecret(spec.webhookSecret())) {
			errors.add("webhookSecret must be 'whsec_' followed by base64 of 24 to 64 bytes");
		}
		if (spec.previousWebhookSecret() != null && !isSecret(spec.previousWebhookSecret())) {
			errors.add("previousWebhookSecret, when given, must be 'whsec_' followed by base64 of 24 to 64 bytes");
		}
		if (spec.callbackSecrets() == null || spec.callbackSecrets().isEmpty() || spec.callbackSecrets().size() > 2) {
			errors.add("callbackSecrets must hold one secret, or two while one is rotated");
		}
		else if (!spec.callbackSecrets().stream().allMatch(PartnerRegistry::isSecret)) {
			errors.add("every callback secret must be 'whsec_' followed by base64 of 24 to 64 bytes");
		}
		if (spec.purposes() == null || spec.purposes().isEmpty()) {
			errors.add("purposes must name at least one purpose with its fields");
		}
		else {
			spec.purposes().forEach((purpose, contract) -> checkPurpose(purpose, contract, errors));
		}
		return errors;
	}

	private static void checkUrl(String url, List<String> errors) {
		try {
			URI uri = (url != null) ? URI.create(url) : null;
			if (uri == null || !Set.of("http", "https").contains(uri.getScheme()) || uri.getHost() == null) {
				errors.add("webhookUrl must be an absolute http or https URL");
			}
		}
		catch (IllegalArgumentException ex) {
			errors.add("webhookUrl must be an absolute http or https URL");
		}
	}

	private static void checkPurpose(String purpose, PurposeContract contract, List<String> errors) {
		if (!PURPOSE.matcher(purpose).matches()) {
			errors.add("purpose '" + purpose + "' must be lower-case letters, digits and hyphens");
		}
		if (contract == null || contract.fields().isEmpty()) {
			errors.add("purpose '" + purpose + "' must list the fields the partner may receive");
			return;
		}
		contract.fields().forEach((field, category) -> {
			if (!FIELD.matcher(field).matches()) {
				errors.add("field '" + field + "' of purpose '" + purpose
						+ "' must start with a letter and hold letters, digits or '_'");
			}
			if (category == null || !CATEGORY.matcher(category).matches()) {
				errors.add("field '" + field + "' of purpose '" + purpose + "' needs a data category");
			}
		});
		contract.requires()
			.stream()
			.filter((scope) -> scope == null || !SCOPE.matcher(scope).matches())
			.forEach((scope) -> errors.add("purpose '" + purpose + "' requires an invalid scope code"));
	}

	/**
	 * Whether a value is a Standard Webhooks secret.
	 * @param secret the value
	 * @return true for {@code whsec_} and base64 of 24 to 64 bytes
	 */
	public static boolean isSecret(String secret) {
		if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
			return false;
		}
		try {
			int length = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length())).length;
			return length >= 24 && length <= 64;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

}
