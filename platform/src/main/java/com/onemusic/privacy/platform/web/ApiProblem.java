package com.onemusic.privacy.platform.web;

import java.net.URI;
import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * A request the service refuses, with the reason a caller can act on. Answered as
 * {@code application/problem+json} (RFC 9457) by {@link ProblemAdvice}.
 */
public class ApiProblem extends RuntimeException {

	private static final String TYPE_BASE = "https://privacy.onemusic.example/problems/";

	private final HttpStatus status;

	private final String type;

	private final Map<String, Object> properties;

	/**
	 * Creates a problem.
	 * @param status the HTTP status, a 4xx (or 503 when the service is overloaded and the
	 * same request may succeed shortly)
	 * @param type a short kebab-case kind, e.g. {@code unknown-scope}
	 * @param detail what is wrong, for a person
	 * @param properties extra members of the problem document
	 */
	public ApiProblem(HttpStatus status, String type, String detail, Map<String, Object> properties) {
		super(detail);
		this.status = status;
		this.type = type;
		this.properties = Map.copyOf(properties);
	}

	public ApiProblem(HttpStatus status, String type, String detail) {
		this(status, type, detail, Map.of());
	}

	public static ApiProblem badRequest(String type, String detail) {
		return new ApiProblem(HttpStatus.BAD_REQUEST, type, detail);
	}

	public static ApiProblem notFound(String type, String detail) {
		return new ApiProblem(HttpStatus.NOT_FOUND, type, detail);
	}

	public static ApiProblem conflict(String type, String detail) {
		return new ApiProblem(HttpStatus.CONFLICT, type, detail);
	}

	public static ApiProblem unprocessable(String type, String detail) {
		return new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, type, detail);
	}

	public HttpStatus status() {
		return this.status;
	}

	public URI type() {
		return URI.create(TYPE_BASE + this.type);
	}

	public String typeName() {
		return this.type;
	}

	public Map<String, Object> properties() {
		return this.properties;
	}

}
