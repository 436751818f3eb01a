package com.onemusic.privacy.consent.web;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.stereotype.Component;

import com.onemusic.privacy.consent.ledger.ClosedAccounts;
import com.onemusic.privacy.platform.security.Callers;
import com.onemusic.privacy.platform.web.ApiProblem;

/**
 * A closed account's ledger is kept only as proof of consent, isolated from everything
 * else until it is deleted (policy 8.1.3, last paragraph): reading it (consents, history,
 * verification, receipts) needs {@value #SCOPE}, the privacy officers' scope; any other
 * caller gets 410 {@code account-closed}, which also tells a backend service to stop
 * processing the user.
 */
@Component
class ClosedAccountReads {

	static final String SCOPE = "consent:admin";

	private final ClosedAccounts closedAccounts;

	ClosedAccountReads(ClosedAccounts closedAccounts) {
		this.closedAccounts = closedAccounts;
	}

	/**
	 * Completes when the caller may read the user's ledger, else fails with 410.
	 * @param userId the user
	 * @return completion, or an {@link ApiProblem}
	 */
	Mono<Void> mayRead(String userId) {
		return this.closedAccounts.keptUntil(userId)
			.flatMap((until) -> ReactiveSecurityContextHolder.getContext()
				.map(SecurityContext::getAuthentication)
				.filter((caller) -> !Callers.hasScope(caller, SCOPE))
				.flatMap((caller) -> Mono.<Void>error(new ApiProblem(HttpStatus.GONE, "account-closed",
						"The account of user " + userId + " is closed; its consent ledger is kept isolated, as proof"
								+ " of consent only, until " + until + ", and only the " + SCOPE + " scope reads it"))))
			.then();
	}

}
