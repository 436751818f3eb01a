package com.onemusic.privacy.platform.security;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;

import com.onemusic.privacy.platform.web.ApiProblem;

/**
 * Whose data a caller may reach. An end user's token (its subject is the user id) reaches
 * only that user's data; a service's or an operator's token reaches any user's with the
 * scope {@value #ANY_USER}. Asking for another user's data is refused, never answered
 * quietly.
 */
public final class Callers {

	/** The scope of tokens that act for any user (services, operators). */
	public static final String ANY_USER = "users:any";

	private Callers() {
	}

	/**
	 * Completes when the caller may act for a user, else fails with 403.
	 * @param userId the user whose data is asked for
	 * @return completion, or an {@link ApiProblem}
	 */
	public static Mono<Void> mayActFor(String userId) {
		return ReactiveSecurityContextHolder.getContext()
			.map(SecurityContext::getAuthentication)
			.flatMap((caller) -> (actsFor(caller, userId)) ? Mono.<Void>empty()
					: Mono.error(new ApiProblem(HttpStatus.FORBIDDEN, "not-your-data",
							"This token may reach only its own user's data")));
	}

	/**
	 * Whether an authenticated caller may act for a user.
	 * @param caller the caller
	 * @param userId the user
	 * @return true for the user's own token or a token with {@value #ANY_USER}
	 */
	public static boolean actsFor(Authentication caller, String userId) {
		return hasScope(caller, ANY_USER) || (userId != null && userId.equals(caller.getName()));
	}

	/**
	 * Whether a caller holds a scope.
	 * @param caller the caller
	 * @param scope the scope
	 * @return true if it does
	 */
	public static boolean hasScope(Authentication caller, String scope) {
		String authority = EndpointRules.scope(scope);
		for (GrantedAuthority granted : caller.getAuthorities()) {
			if (authority.equals(granted.getAuthority())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The caller's name (a token's subject), for audit records.
	 * @return the name, or {@code anonymous} when security is off
	 */
	public static Mono<String> name() {
		return ReactiveSecurityContextHolder.getContext()
			.map((context) -> context.getAuthentication().getName())
			.defaultIfEmpty("anonymous");
	}

}
