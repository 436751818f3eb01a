package com.onemusic.privacy.sharing.share;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.HttpStatus;

import com.onemusic.privacy.events.PartnerCategory;
import com.onemusic.privacy.platform.web.ApiProblem;
import com.onemusic.privacy.sharing.partner.Partner;
import com.onemusic.privacy.sharing.partner.PartnerRegistry;
import com.onemusic.privacy.sharing.partner.PartnerSpec.PurposeContract;
import com.onemusic.privacy.sharing.share.ShareLogEntry.Basis;
import com.onemusic.privacy.sharing.share.ShareLogEntry.LegalOrder;
import com.onemusic.privacy.sharing.view.ConsentState;
import com.onemusic.privacy.sharing.view.ConsentView;
import com.onemusic.privacy.sharing.view.ErasureMark;
import com.onemusic.privacy.sharing.view.PolicyChain;
import com.onemusic.privacy.sharing.view.UserState;
import com.onemusic.privacy.sharing.view.ViewFreshness;

/**
 * Decides whether a user's data may reach a partner, and what of it. Data may go only
 * when the partner is active and its contract lists the purpose, the user is not under a
 * deletion request, the user's current consent (not made stale by a material policy
 * change) covers the partner's category and every scope the purpose requires, and, when
 * sensitive personal information is asked for, the separate consent for it exists; and
 * the view holds every consent change made before the request (for data that is not
 * sensitive: every change made more than {@link Rules#maxStaleness()} before it). Only
 * the fields of the contract go; the others are stripped and named. Every decision is
 * recorded before it is answered: its DataShared event, acknowledged by Kafka, is the
 * share log of record, and {@link ShareLogProjection} makes the queryable log of it.
 */
public class ShareDecisions {

	public static final String ALLOWED = "CONSENT_GIVEN";

	private final ReactiveMongoTemplate mongo;

	private final PartnerRegistry partners;

	private final ConsentView view;

	private final ViewFreshness freshness;

	private final Rules rules;

	private final Function<ShareLogEntry, Mono<Void>> record;

	private final Clock clock;

	public ShareDecisions(ReactiveMongoTemplate mongo, PartnerRegistry partners, ConsentView view,
			ViewFreshness freshness, Rules rules, Function<ShareLogEntry, Mono<Void>> record, Clock clock) {
		this.mongo = mongo;
		this.partners = partners;
		this.view = view;
		this.freshness = freshness;
		this.rules = rules;
		this.record = record;
		this.clock = clock;
	}

	/**
	 * The rules that do not change between decisions.
	 *
	 * @param categoryScopes the sharing scope of each partner category
	 * @param sensitiveScope the separate scope for sensitive personal information
	 * @param sensitiveCategories the data categories that are sensitive
	 * @param maxLag how long a decision waits for the view to hold the consent changes it
	 * must hold; longer, and nothing is shared
	 * @param maxStaleness for data that is not sensitive, how long before the request a
	 * consent change may have been made and still be missing from the view (sensitive
	 * data: none)
	 */
	public record Rules(Map<PartnerCategory, String> categoryScopes, String sensitiveScope,
			Set<String> sensitiveCategories, Duration maxLag, Duration maxStaleness) {

	}

	/**
	 * Creates the indexes of the share log.
	 * @return completion
	 */
	public Mono<Void> createIndexes() {
		return this.mongo.indexOps(ShareLogEntry.COLLECTION)
			.createIndex(new Index().on("userId", Sort.Direction.ASC).on("occurredAt", Sort.Direction.ASC))
			.then();
	}

	/**
	 * Decides on a share request and logs the decision.
	 * @param partnerId the partner
	 * @param userId the user
	 * @param purpose the purpose
	 * @param payload the data the caller would send
	 * @return the logged decision
	 */
	public Mono<Decision> decide(String partnerId, String userId, String purpose, Map<String, Object> payload) {
		Partner partner = this.partners.find(partnerId)
			.orElseThrow(() -> ApiProblem.notFound("unknown-partner", "No partner '" + partnerId + "'"));
		PurposeContract contract = partner.purposes().get(purpose);
		Map<String, Object> shared = new LinkedHashMap<>();
		List<String> removed = new ArrayList<>();
		Set<String> categories = new TreeSet<>();
		payload.forEach((field, value) -> {
			String category = (contract != null) ? contract.fields().get(field) : null;
			if (category != null) {
				shared.put(field, value);
				categories.add(category);
			}
			else {
				removed.add(field);
			}
		});
		boolean sensitive = categories.stream().anyMatch(this.rules.sensitiveCategories()::contains);
		// The view must hold every consent change on the topics when the request came
		// (for data that is not sensitive, max-staleness before): a withdrawal
		// acknowledged to the user before that is then always seen. With a staleness the
		// view's scheduled probes normally show it already, so the decision does not wait
		// for a read of the topics' end.
		Duration staleness = sensitive ? Duration.ZERO : this.rules.maxStaleness();
		Instant since = this.clock.instant().minus(staleness);
		return this.freshness.caughtUpSince(since, this.rules.maxLag())
			// The wait ends on the thread that learnt it, the view's probe: the decision
			// goes on elsewhere, so that the next probe is not held up behind it.
			.publishOn(Schedulers.parallel())
			.flatMap((fresh) -> this.view.user(userId).onErrorMap(ShareDecisions::viewUnavailable).flatMap((state) -> {
				Outcome outcome = judge(partner, purpose, contract, state, sensitive, fresh ? null : staleness,
						shared.isEmpty());
				Instant now = this.clock.instant();
				ShareLogEntry entry = new ShareLogEntry(UUID.randomUUID().toString(), UUID.randomUUID(), now, userId,
						partner.id(), partner.category(), purpose, outcome.allowed(), outcome.reason(),
						outcome.detail(), outcome.basis(), outcome.allowed() ? List.copyOf(shared.keySet()) : List.of(),
						List.copyOf(removed), List.copyOf(categories), sensitive, null);
				return log(entry).map((logged) -> new Decision(logged, outcome.allowed() ? shared : Map.of()));
			}));
	}

	/**
	 * A decision that cannot read the user's consents is not made: 503, nothing shared.
	 */
	private static ApiProblem viewUnavailable(Throwable failure) {
		return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "consent-view-unavailable",
				"The user's consents could not be read, so nothing may be shared; try again shortly");
	}

	/**
	 * Logs a disclosure under a legal order: no consent is asked, every field goes, and
	 * the justification is kept with the decision.
	 * @param userId the user
	 * @param order the legal order
	 * @param payload the data disclosed
	 * @return the logged decision
	 */
	public Mono<Decision> disclose(String userId, LegalOrder order, Map<String, Object> payload) {
		ShareLogEntry entry = new ShareLogEntry(UUID.randomUUID().toString(), UUID.randomUUID(), this.clock.instant(),
				userId, "legal:" + order.recipient(), PartnerCategory.OTHER, "legal-order", true, "LEGAL_ORDER",
				"Disclosed under " + order.legalBasis() + ", reference " + order.reference() + ", authorized by "
						+ order.authorizedBy(),
				null, List.copyOf(payload.keySet()), List.of(), List.of(), false, order);
		return log(entry).map((logged) -> new Decision(logged, payload));
	}

	/**
	 * Records a decision before it is answered: its DataShared event, acknowledged by
	 * Kafka, is the share log of record; the queryable log is its projection.
	 */
	private Mono<ShareLogEntry> log(ShareLogEntry entry) {
		// The acknowledgement arrives on the Kafka producer's one I/O thread: the answer
		// is written from another, so that thread is free to send and receive for the
		// other decisions.
		return this.record.apply(entry).publishOn(Schedulers.parallel()).thenReturn(entry);
	}

	/**
	 * The outcome of a request. {@code behind} is null when the view was shown to hold
	 * what it must, else the staleness it was asked to show.
	 */
	private Outcome judge(Partner partner, String purpose, PurposeContract contract, UserState state, boolean sensitive,
			Duration behind, boolean nothingLeft) {
		if (!partner.active()) {
			return Outcome.denied("PARTNER_INACTIVE", "Partner '" + partner.id() + "' is not active", null);
		}
		if (contract == null) {
			return Outcome.denied("PURPOSE_NOT_IN_CONTRACT",
					"Partner '" + partner.id() + "' may not receive data for purpose '" + purpose + "'", null);
		}
		Optional<ErasureMark> erasure = state.erasureAt(this.clock.instant());
		if (erasure.isPresent()) {
			return Outcome.denied("ERASURE_IN_PROGRESS",
					(erasure.get().accountClosure() ? "The user closed the account (request "
							: "The user asked for deletion (request ") + erasure.get().requestId() + ")",
					null);
		}
		if (behind != null) {
			return Outcome.denied("CONSENT_VIEW_BEHIND",
					"The consent view could not show within " + this.rules.maxLag().toMillis()
							+ " ms that it holds every consent change made "
							+ (behind.isZero() ? "" : "more than " + behind.toMillis() + " ms ")
							+ "before this request, so nothing is shared",
					null);
		}
		String categoryScope = this.rules.categoryScopes().get(partner.category());
		if (categoryScope == null) {
			return Outcome.denied("CONSENT_MISSING",
					"No consent scope allows sharing with partners of category " + partner.category(), null);
		}
		List<String> required = new ArrayList<>();
		required.add(categoryScope);
		required.addAll(contract.requires());
		if (sensitive) {
			required.add(this.rules.sensitiveScope());
		}
		PolicyChain policies = this.view.policies();
		Basis categoryBasis = null;
		for (String scope : required) {
			Optional<ConsentState> consent = state.consent(scope);
			Basis basis = consent.map(ShareDecisions::basis).orElse(null);
			String missing = scope.equals(this.rules.sensitiveScope()) ? "SENSITIVE_CONSENT_MISSING"
					: "CONSENT_MISSING";
			if (consent.isEmpty()) {
				return Outcome.denied(missing, "The user has not consented to " + scope, null);
			}
			if (!consent.get().granted()) {
				return Outcome.denied(missing,
						"The user withdrew " + scope + " (sequence " + consent.get().sequence() + ")", basis);
			}
			Optional<String> staleBy = policies.staleBy(scope, consent.get().policyVersion());
			if (staleBy.isPresent()) {
				return Outcome.denied("CONSENT_STALE",
						"The consent to " + scope + " was given under policy " + consent.get().policyVersion()
								+ "; policy " + staleBy.get()
								+ " changed it materially and the user has not consented again",
						basis);
			}
			if (scope.equals(categoryScope)) {
				categoryBasis = basis;
			}
		}
		if (nothingLeft) {
			return Outcome.denied("NOTHING_TO_SHARE",
					"None of the fields is in the contract of purpose '" + purpose + "'", categoryBasis);
		}
		return new Outcome(true, ALLOWED, "Consent " + categoryScope + " covers the share", categoryBasis);
	}

	private static Basis basis(ConsentState consent) {
		return new Basis(consent.scope(), consent.policyVersion(), consent.sequence());
	}

	/**
	 * A user's share log, newest first.
	 * @param userId the user
	 * @param limit how many at most
	 * @return the entries
	 */
	public reactor.core.publisher.Flux<ShareLogEntry> logOf(String userId, int limit) {
		return this.mongo.find(Query.query(Criteria.where("userId").is(userId))
			.with(Sort.by(Sort.Direction.DESC, "occurredAt"))
			.limit(limit), ShareLogEntry.class, ShareLogEntry.COLLECTION);
	}

	/**
	 * One decision.
	 * @param id the decision id
	 * @return the entry, if any
	 */
	public Mono<ShareLogEntry> find(String id) {
		return this.mongo.findById(id, ShareLogEntry.class, ShareLogEntry.COLLECTION);
	}

	private record Outcome(boolean allowed, String reason, String detail, Basis basis) {

		static Outcome denied(String reason, String detail, Basis basis) {
			return new Outcome(false, reason, detail, basis);
		}

	}

	/**
	 * A logged decision and the payload that may go.
	 *
	 * @param entry the share log entry
	 * @param payload the minimized payload (empty when denied)
	 */
	public record Decision(ShareLogEntry entry, Map<String, Object> payload) {

	}

}
