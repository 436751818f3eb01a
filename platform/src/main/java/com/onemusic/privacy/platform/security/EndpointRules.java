package com.onemusic.privacy.platform.security;

import org.springframework.security.config.web.server.ServerHttpSecurity.AuthorizeExchangeSpec;

/**
 * A service's rules of who may call which of its endpoints: the scopes each needs. Every
 * endpoint a service offers is named with the scopes it needs; a path no rule names is
 * open to any valid token (the OpenAPI description), never to an anonymous caller.
 */
@FunctionalInterface
public interface EndpointRules {

	/**
	 * Adds the rules.
	 * @param exchanges the authorization spec
	 */
	void apply(AuthorizeExchangeSpec exchanges);

	/**
	 * The authority of a scope.
	 * @param scope the scope, e.g. {@code consent:read}
	 * @return the authority, e.g. {@code SCOPE_consent:read}
	 */
	static String scope(String scope) {
		return "SCOPE_" + scope;
	}

}
