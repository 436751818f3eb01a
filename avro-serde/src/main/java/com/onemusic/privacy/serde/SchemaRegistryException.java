package com.onemusic.privacy.serde;

/**
 * A Schema Registry call failed. Carries the registry's own error code where it answered
 * with one (e.g. 40403 for an unknown schema id), or {@link #UNREACHABLE} when no
 * registry URL could be reached.
 */
public class SchemaRegistryException extends RuntimeException {

	/** Error code used when the registry could not be reached at all. */
	public static final int UNREACHABLE = -1;

	private final int status;

	private final int errorCode;

	public SchemaRegistryException(String message, int status, int errorCode, Throwable cause) {
		super(message, cause);
		this.status = status;
		this.errorCode = errorCode;
	}

	/**
	 * The HTTP status of the registry's answer.
	 * @return the status, or {@link #UNREACHABLE}
	 */
	public int status() {
		return this.status;
	}

	/**
	 * The registry's {@code error_code}.
	 * @return the code, e.g. 40401, 40403, 409, 42201, or {@link #UNREACHABLE}
	 */
	public int errorCode() {
		return this.errorCode;
	}

}
