package com.onemusic.privacy.platform.security;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.onemusic.privacy.platform.web.ApiProblem;

/**
 * The service's audit trail ({@link AuditTrail}), for operators with {@code audit:read}.
 */
@RestController
public class AuditController {

	static final int MAX_PAGE = 500;

	private final AuditTrail audit;

	public AuditController(AuditTrail audit) {
		this.audit = audit;
	}

	/**
	 * Who was shown whose data, when and why.
	 * @param userId whose, or every user's
	 * @param limit how many at most
	 * @return the entries, newest first
	 */
	@GetMapping("/audit")
	public Mono<List<AuditTrail.Entry>> audit(@RequestParam(required = false) String userId,
			@RequestParam(defaultValue = "100") int limit) {
		if (limit < 1 || limit > MAX_PAGE) {
			return Mono.error(ApiProblem.badRequest("invalid-limit", "limit must be 1 to " + MAX_PAGE));
		}
		return this.audit.entries(userId, limit).collectList();
	}

}
