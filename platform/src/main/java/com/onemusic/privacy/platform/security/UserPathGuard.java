package com.onemusic.privacy.platform.security;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Every service's paths under {@code /users/{userId}/} belong to that user: an end user's
 * token reaches only its own (403 {@code not-your-data} otherwise, before the request's
 * body is read or anything is written); a token with {@value Callers#ANY_USER} reaches
 * any user's. Runs after the scope check, so a token without the endpoint's scope is
 * still told that first. Controllers check again with {@link Callers#mayActFor}, and
 * check resources that name their user elsewhere (a request, a receipt, a decision).
 */
public final class UserPathGuard implements WebFilter {

	/** The paths that name their user. */
	public static final PathPattern USER_PATHS = PathPatternParser.defaultInstance.parse("/users/{userId}/**");

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		PathPattern.PathMatchInfo match = USER_PATHS
			.matchAndExtract(exchange.getRequest().getPath().pathWithinApplication());
		if (match == null) {
			return chain.filter(exchange);
		}
		String userId = match.getUriVariables().get("userId");
		return ReactiveSecurityContextHolder.getContext()
			.map(SecurityContext::getAuthentication)
			.filter(Authentication::isAuthenticated)
			.map((caller) -> Callers.actsFor(caller, userId))
			// No caller here means the path is public or security is off: the rules
			// before decided that.
			.defaultIfEmpty(true)
			.flatMap((allowed) -> allowed ? chain.filter(exchange) : PlatformSecurityConfiguration.problem(exchange,
					HttpStatus.FORBIDDEN, "not-your-data", "This token may reach only its own user's data"));
	}

}
