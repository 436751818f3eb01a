package com.onemusic.privacy.registry;

/**
 * An error answer of the registry, with the HTTP status and the Confluent
 * {@code error_code}.
 */
public class RegistryException extends RuntimeException {

	private final int status;

	private final int errorCode;

	RegistryException(int status, int errorCode, String message) {
		this(status, errorCode, message, null);
	}

	RegistryException(int status, int errorCode, String message, Throwable cause) {
		super(message, cause);
		this.status = status;
		this.errorCode = errorCode;
	}

	public int status() {
		return this.status;
	}

	public int errorCode() {
		return this.errorCode;
	}

	static RegistryException subjectNotFound(String subject) {
		return new RegistryException(404, 40401, "Subject '" + subject + "' not found.");
	}

	static RegistryException versionNotFound(String subject, Object version) {
		return new RegistryException(404, 40402, "Version " + version + " not found.");
	}

	static RegistryException schemaNotFound(String what) {
		return new RegistryException(404, 40403, what + " not found");
	}

	static RegistryException subjectSoftDeleted(String subject) {
		return new RegistryException(404, 40404,
				"Subject '" + subject + "' was soft deleted.Set permanent=true to delete permanently");
	}

	static RegistryException subjectNotSoftDeleted(String subject) {
		return new RegistryException(404, 40405,
				"Subject '" + subject + "' was not deleted first before being permanently deleted");
	}

	static RegistryException versionSoftDeleted(String subject, int version) {
		return new RegistryException(404, 40406, "Subject '" + subject + "' Version " + version
				+ " was soft deleted.Set permanent=true to delete permanently");
	}

	static RegistryException versionNotSoftDeleted(String subject, int version) {
		return new RegistryException(404, 40407, "Subject '" + subject + "' Version " + version
				+ " was not deleted first before being permanently deleted");
	}

	static RegistryException subjectLevelCompatibilityNotConfigured(String subject) {
		return new RegistryException(404, 40408,
				"Subject '" + subject + "' does not have subject-level compatibility configured");
	}

	static RegistryException incompatible(String details) {
		return new RegistryException(409, 409,
				"Schema being registered is incompatible with an earlier schema for subject; details: " + details);
	}

	static RegistryException invalidSchema(String details) {
		return new RegistryException(422, 42201, "Invalid schema: " + details);
	}

	static RegistryException invalidVersion(String version) {
		return new RegistryException(422, 42202, "The specified version '" + version
				+ "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
	}

	static RegistryException invalidCompatibilityLevel(String level) {
		return new RegistryException(422, 42203, "Invalid compatibility level. Valid values are none, backward, "
				+ "forward, full, backward_transitive, forward_transitive, and full_transitive: " + level);
	}

	static RegistryException storeError(String message, Throwable cause) {
		return new RegistryException(500, 50001, "Error in the backend data store - " + message, cause);
	}

	static RegistryException timeout(String message) {
		return new RegistryException(500, 50002, "Operation timed out - " + message);
	}

}
