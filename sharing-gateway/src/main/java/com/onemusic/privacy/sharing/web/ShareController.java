package com.onemusic.privacy.sharing.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.onemusic.privacy.platform.security.AuditTrail;
import com.onemusic.privacy.platform.security.Callers;
import com.onemusic.privacy.platform.web.ApiProblem;
import com.onemusic.privacy.sharing.partner.UserReferences;
import com.onemusic.privacy.sharing.share.ShareDecisions.Decision;
import com.onemusic.privacy.sharing.share.ShareDecisions;
import com.onemusic.privacy.sharing.share.ShareLogEntry.LegalBasis;
import com.onemusic.privacy.sharing.share.ShareLogEntry.LegalOrder;
import com.onemusic.privacy.sharing.share.ShareLogEntry;

/**
 * Share requests, legal-order disclosures and the share log. An allowed share answers 200
 * with the minimized payload (the only data the caller may send) and the user reference
 * to send it under; a denied one answers 403 with the reason. Both are logged.
 */
@RestController
class ShareController {

	static final int MAX_FIELDS = 200;

	private final ShareDecisions decisions;

	private final UserReferences references;

	private final AuditTrail audit;

	ShareController(ShareDecisions decisions, UserReferences references, AuditTrail audit) {
		this.decisions = decisions;
		this.references = references;
		this.audit = audit;
	}

	/**
	 * A request to share a user's data with a partner.
	 *
	 * @param partnerId the partner
	 * @param userId the user
	 * @param purpose the purpose, one of the partner's contract
	 * @param payload the data, by field name
	 */
	record ShareRequest(@NotBlank @Size(max = 64) String partnerId, @NotBlank @Size(max = 128) String userId,
			@NotBlank @Size(max = 64) String purpose, @NotNull @Size(max = MAX_FIELDS) Map<String, Object> payload) {

	}

	@PostMapping("/shares")
	Mono<ResponseEntity<Map<String, Object>>> share(@Valid @RequestBody ShareRequest request) {
		return Mono
			.defer(() -> this.decisions.decide(request.partnerId(), request.userId(), request.purpose(),
					request.payload()))
			.map((decision) -> {
				ShareLogEntry entry = decision.entry();
				if (!entry.allowed()) {
					Map<String, Object> properties = new LinkedHashMap<>();
					properties.put("decisionId", entry.id());
					properties.put("reason", entry.reason());
					properties.put("removedFields", entry.removedFields());
					if (entry.basis() != null) {
						properties.put("consentBasis", entry.basis());
					}
					throw new ApiProblem(HttpStatus.FORBIDDEN, "share-denied", entry.detail(), properties);
				}
				return ResponseEntity.ok(allowed(decision));
			});
	}

	private Map<String, Object> allowed(Decision decision) {
		ShareLogEntry entry = decision.entry();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("decisionId", entry.id());
		body.put("decision", "ALLOWED");
		body.put("reason", entry.reason());
		body.put("partnerId", entry.partnerId());
		body.put("purpose", entry.purpose());
		body.put("userReference", this.references.of(entry.partnerId(), entry.userId()));
		body.put("payload", decision.payload());
		body.put("sharedFields", entry.sharedFields());
		body.put("removedFields", entry.removedFields());
		body.put("dataCategories", entry.dataCategories());
		body.put("sensitive", entry.sensitive());
		body.put("consentBasis", entry.basis());
		return body;
	}

	/**
	 * A disclosure under a legal order.
	 *
	 * @param userId the user
	 * @param recipient the authority or party that receives the data
	 * @param legalBasis the ground (policy 5.3, 5.4)
	 * @param reference the order's reference
	 * @param authorizedBy who in the company authorized it
	 * @param justification why the data is required
	 * @param payload the data disclosed
	 */
	record DisclosureRequest(@NotBlank @Size(max = 128) String userId, @NotBlank @Size(max = 200) String recipient,
			@NotNull LegalBasis legalBasis, @NotBlank @Size(max = 200) String reference,
			@NotBlank @Size(max = 200) String authorizedBy, @NotBlank @Size(min = 20, max = 2000) String justification,
			@NotNull @Size(min = 1, max = MAX_FIELDS) Map<String, Object> payload) {

	}

	@PostMapping("/disclosures")
	Mono<ResponseEntity<Map<String, Object>>> disclose(@Valid @RequestBody DisclosureRequest request) {
		LegalOrder order = new LegalOrder(request.legalBasis(), request.reference().strip(),
				request.authorizedBy().strip(), request.justification().strip(), request.recipient().strip());
		return Mono.defer(() -> this.decisions.disclose(request.userId(), order, request.payload())).map((decision) -> {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("decisionId", decision.entry().id());
			body.put("decision", "ALLOWED");
			body.put("reason", decision.entry().reason());
			body.put("legalOrder", order);
			body.put("payload", decision.payload());
			return ResponseEntity.status(HttpStatus.CREATED).body(body);
		});
	}

	@GetMapping("/shares/{decisionId}")
	Mono<ShareLogEntry> decision(@PathVariable String decisionId,
			@RequestHeader(name = AuditTrail.REASON_HEADER, required = false) String reason) {
		return this.decisions.find(decisionId)
			.switchIfEmpty(Mono.error(ApiProblem.notFound("unknown-decision", "No share decision " + decisionId)))
			.flatMap((entry) -> Callers.mayActFor(entry.userId())
				.then(this.audit.revealed("VIEW_SHARE_DECISION", decisionId, entry.userId(), reason))
				.thenReturn(entry));
	}

	@GetMapping("/users/{userId}/shares")
	Mono<List<ShareLogEntry>> logOf(@PathVariable String userId, @RequestParam(defaultValue = "100") int limit,
			@RequestHeader(name = AuditTrail.REASON_HEADER, required = false) String reason) {
		if (limit < 1 || limit > 1000) {
			return Mono.error(ApiProblem.badRequest("invalid-limit", "limit must be between 1 and 1000"));
		}
		return Callers.mayActFor(userId)
			.then(this.audit.revealed("VIEW_SHARE_LOG", null, userId, reason))
			.thenMany(this.decisions.logOf(userId, limit))
			.collectList();
	}

}
