package com.onemusic.privacy.consent.web;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import jakarta.validation.Valid;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.onemusic.privacy.consent.ledger.ConsentProjection;
import com.onemusic.privacy.consent.policy.PolicyService;
import com.onemusic.privacy.consent.policy.PolicyVersion;
import com.onemusic.privacy.consent.web.ConsentViews.PolicyView;
import com.onemusic.privacy.consent.web.ConsentViews.ReconsentItem;
import com.onemusic.privacy.consent.web.ConsentViews.ReconsentPage;
import com.onemusic.privacy.platform.web.ApiProblem;

/** Policy versions: publish one, read them, and list who must consent again. */
@RestController
class PolicyController {

	static final int MAX_PAGE = 1000;

	private final PolicyService policies;

	private final ConsentProjection projection;

	PolicyController(PolicyService policies, ConsentProjection projection) {
		this.policies = policies;
		this.projection = projection;
	}

	/**
	 * Publishes a new version; consents for the scopes it changes materially stop being
	 * current.
	 */
	@PostMapping("/policies")
	@ResponseStatus(HttpStatus.CREATED)
	Mono<PolicyView> publish(@Valid @RequestBody ConsentRequests.PublishPolicy body) {
		return this.policies
			.publish(body.version(), body.url(), body.effectiveFrom(),
					body.materialChanges().stream().map(ConsentRequests.MaterialChangeBody::toChange).toList())
			.zipWhen((version) -> this.policies.history())
			.map((result) -> PolicyView.of(result.getT1(), result.getT2()));
	}

	@GetMapping("/policies")
	Mono<List<PolicyView>> all() {
		return this.policies.history()
			.map((history) -> history.versions().stream().map((version) -> PolicyView.of(version, history)).toList());
	}

	@GetMapping("/policies/{version}")
	Mono<PolicyView> one(@PathVariable String version) {
		return this.policies.history()
			.map((history) -> history.find(version)
				.map((found) -> PolicyView.of(found, history))
				.orElseThrow(() -> unknown(version)));
	}

	/**
	 * The users whose consent for a scope this version changed materially was given under
	 * an older version: one row per user and scope, a page at a time ({@code after} is
	 * the previous page's {@code next}).
	 */
	@GetMapping("/policies/{version}/reconsent")
	Mono<ReconsentPage> reconsent(@PathVariable String version, @RequestParam(required = false) String after,
			@RequestParam(defaultValue = "100") int limit) {
		if (limit < 1 || limit > MAX_PAGE) {
			return Mono.error(ApiProblem.badRequest("invalid-page-size", "limit must be 1 to " + MAX_PAGE));
		}
		return this.policies.history().flatMap((history) -> {
			PolicyVersion policy = history.find(version).orElseThrow(() -> unknown(version));
			TreeSet<String> scopes = new TreeSet<>();
			policy.materialChanges().forEach((change) -> scopes.addAll(change.scopes()));
			return this.projection.needingReconsent(policy, after, limit)
				.map((row) -> new ReconsentItem(row.userId(), row.scope(), row.policyVersion(), row.occurredAt()))
				.collectList()
				.map((items) -> new ReconsentPage(version, new ArrayList<>(scopes), items, (items.size() == limit)
						? items.get(items.size() - 1).userId() + "|" + items.get(items.size() - 1).scope() : null));
		});
	}

	private static ApiProblem unknown(String version) {
		return ApiProblem.notFound("unknown-policy-version", "Policy version '" + version + "' was never published");
	}

}
