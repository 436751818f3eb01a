package com.onemusic.privacy.platform.outbox;

import org.springframework.http.HttpStatus;

import com.onemusic.privacy.platform.web.ApiProblem;

/**
 * The outbox relay has more waiting than it can publish in time: the change was not
 * written, and the caller should retry shortly. Answered as 503 with {@code Retry-After}.
 */
public class OutboxBusyException extends ApiProblem {

	public OutboxBusyException(String detail) {
		super(HttpStatus.SERVICE_UNAVAILABLE, "busy", detail);
	}

}
