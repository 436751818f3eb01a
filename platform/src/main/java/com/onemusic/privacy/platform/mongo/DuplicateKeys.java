package com.onemusic.privacy.platform.mongo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.MongoServerException;

import org.springframework.dao.DuplicateKeyException;

/**
 * Recognises MongoDB's duplicate-key error (code 11000), which the services use as their
 * idempotency and optimistic-concurrency signal: a unique key derived from an event id, a
 * request id or a per-user sequence number turns a replay or a lost race into this error
 * instead of a double effect.
 */
public final class DuplicateKeys {

	private DuplicateKeys() {
	}

	/**
	 * Whether an error, or one of its causes, is a duplicate-key error.
	 * @param error the error
	 * @return true for code 11000, whichever layer wrapped it
	 */
	public static boolean isDuplicateKey(Throwable error) {
		for (Throwable cause = error; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof DuplicateKeyException) {
				return true;
			}
			if (cause instanceof MongoServerException server
					&& ErrorCategory.fromErrorCode(server.getCode()) == ErrorCategory.DUPLICATE_KEY) {
				return true;
			}
			if (cause instanceof MongoException mongo && mongo.getCode() == 11000) {
				return true;
			}
		}
		return false;
	}

}
