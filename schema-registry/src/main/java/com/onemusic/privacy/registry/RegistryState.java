package com.onemusic.privacy.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.avro.Schema;

/**
 * What the {@code _schemas} log says, applied record by record in log order. Every
 * registry instance that reads the same log reaches the same state, which is what makes
 * several instances on one topic agree.
 *
 * <p>
 * A schema record claims a version of a subject and a schema id. The first record in log
 * order wins: a later record whose claim conflicts (the version is already taken by
 * another schema, the id is bound to another schema, or the schema already has another
 * id) changes nothing. Its writer sees it lost, deletes it with a tombstone and tries
 * again. Records are never rewritten (soft deletes are records of their own), so log
 * compaction, which only removes records, never changes who won.
 */
final class RegistryState {

	static final String SCHEMA = "SCHEMA";

	static final String DELETE_VERSION = "DELETE_VERSION";

	static final String CONFIG = "CONFIG";

	private final Map<Integer, StoredSchema> schemasById = new HashMap<>();

	private final Map<String, Integer> idsByCanonical = new HashMap<>();

	private final Map<String, TreeMap<Integer, SubjectVersion>> subjects = new TreeMap<>();

	/**
	 * Every key written for a subject, winners and losers, so a permanent delete can
	 * remove all.
	 */
	private final Map<String, Map<String, Integer>> keysBySubject = new HashMap<>();

	private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();

	private CompatibilityLevel globalLevel;

	private final CompatibilityLevel defaultLevel;

	private int maxId;

	RegistryState(CompatibilityLevel defaultLevel) {
		this.defaultLevel = defaultLevel;
		this.globalLevel = defaultLevel;
	}

	/**
	 * Applies one record of the log.
	 * @param rawKey the record key, JSON
	 * @param key the parsed key
	 * @param value the parsed value, or {@code null} for a tombstone
	 */
	synchronized void apply(String rawKey, JsonNode key, JsonNode value) {
		String type = key.path("keytype").asText();
		switch (type) {
			case SCHEMA -> applySchema(rawKey, key, value);
			case DELETE_VERSION -> applyDeleteVersion(rawKey, key, value);
			case CONFIG -> applyConfig(key, value);
			default -> {
				// Records of kinds this version does not know are skipped, so that a
				// newer
				// registry can share the topic.
			}
		}
	}

	private void applySchema(String rawKey, JsonNode key, JsonNode value) {
		String subject = key.path("subject").asText();
		int version = key.path("version").asInt();
		if (value == null) {
			forget(subject, rawKey);
			TreeMap<Integer, SubjectVersion> versions = this.subjects.get(subject);
			SubjectVersion current = (versions != null) ? versions.get(version) : null;
			if (current != null && current.recordKey().equals(rawKey)) {
				versions.remove(version);
				if (versions.isEmpty()) {
					this.subjects.remove(subject);
				}
				releaseIfUnused(current.id());
			}
			return;
		}
		this.keysBySubject.computeIfAbsent(subject, (s) -> new HashMap<>()).put(rawKey, version);
		int id = value.path("id").asInt();
		String canonical = value.path("schema").asText();
		Integer idOfSchema = this.idsByCanonical.get(canonical);
		StoredSchema schemaOfId = this.schemasById.get(id);
		SubjectVersion taken = this.subjects.getOrDefault(subject, new TreeMap<>()).get(version);
		boolean conflict = (idOfSchema != null && idOfSchema != id)
				|| (schemaOfId != null && !schemaOfId.canonical().equals(canonical))
				|| (taken != null && !taken.recordKey().equals(rawKey));
		if (conflict) {
			return;
		}
		if (schemaOfId == null) {
			Schema parsed = new Schema.Parser().parse(canonical);
			this.schemasById.put(id, new StoredSchema(id, canonical, parsed));
			this.idsByCanonical.put(canonical, id);
		}
		this.maxId = Math.max(this.maxId, id);
		if (taken == null) {
			this.subjects.computeIfAbsent(subject, (s) -> new TreeMap<>())
				.put(version, new SubjectVersion(subject, version, id, false, rawKey));
		}
	}

	private void applyDeleteVersion(String rawKey, JsonNode key, JsonNode value) {
		String subject = key.path("subject").asText();
		int version = key.path("version").asInt();
		if (value == null) {
			forget(subject, rawKey);
			return;
		}
		this.keysBySubject.computeIfAbsent(subject, (s) -> new HashMap<>()).put(rawKey, version);
		TreeMap<Integer, SubjectVersion> versions = this.subjects.get(subject);
		SubjectVersion current = (versions != null) ? versions.get(version) : null;
		if (current != null) {
			versions.put(version, current.asDeleted());
		}
	}

	private void applyConfig(JsonNode key, JsonNode value) {
		JsonNode subject = key.path("subject");
		boolean global = subject.isMissingNode() || subject.isNull();
		if (value == null) {
			if (global) {
				this.globalLevel = this.defaultLevel;
			}
			else {
				this.subjectLevels.remove(subject.asText());
			}
			return;
		}
		CompatibilityLevel level;
		try {
			level = CompatibilityLevel.parse(value.path("compatibilityLevel").asText());
		}
		catch (RegistryException ex) {
			return;
		}
		if (global) {
			this.globalLevel = level;
		}
		else {
			this.subjectLevels.put(subject.asText(), level);
		}
	}

	private void forget(String subject, String rawKey) {
		Map<String, Integer> keys = this.keysBySubject.get(subject);
		if (keys != null) {
			keys.remove(rawKey);
			if (keys.isEmpty()) {
				this.keysBySubject.remove(subject);
			}
		}
	}

	private void releaseIfUnused(int id) {
		boolean used = this.subjects.values()
			.stream()
			.flatMap((versions) -> versions.values().stream())
			.anyMatch((version) -> version.id() == id);
		if (!used) {
			StoredSchema removed = this.schemasById.remove(id);
			if (removed != null) {
				this.idsByCanonical.remove(removed.canonical());
			}
		}
	}

	synchronized Optional<StoredSchema> schema(int id) {
		return Optional.ofNullable(this.schemasById.get(id));
	}

	synchronized Optional<Integer> idOf(String canonical) {
		return Optional.ofNullable(this.idsByCanonical.get(canonical));
	}

	synchronized int maxId() {
		return this.maxId;
	}

	/** All versions of a subject, soft-deleted ones included, oldest first. */
	synchronized List<SubjectVersion> versions(String subject) {
		TreeMap<Integer, SubjectVersion> versions = this.subjects.get(subject);
		return (versions != null) ? List.copyOf(versions.values()) : List.of();
	}

	synchronized List<String> subjects(boolean includeDeleted) {
		List<String> names = new ArrayList<>();
		this.subjects.forEach((name, versions) -> {
			if (includeDeleted || versions.values().stream().anyMatch((version) -> !version.deleted())) {
				names.add(name);
			}
		});
		return names;
	}

	synchronized List<SubjectVersion> versionsWithId(int id) {
		return this.subjects.values()
			.stream()
			.flatMap((versions) -> versions.values().stream())
			.filter((version) -> version.id() == id)
			.toList();
	}

	/**
	 * The keys of every record still in the log for a subject, or for one of its
	 * versions.
	 * @param subject the subject
	 * @param version a version, or {@code null} for all
	 * @return the record keys
	 */
	synchronized Set<String> keys(String subject, Integer version) {
		Set<String> keys = new HashSet<>();
		this.keysBySubject.getOrDefault(subject, Map.of()).forEach((key, keyVersion) -> {
			if (version == null || version.equals(keyVersion)) {
				keys.add(key);
			}
		});
		return keys;
	}

	synchronized CompatibilityLevel globalLevel() {
		return this.globalLevel;
	}

	synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
		return Optional.ofNullable(this.subjectLevels.get(subject));
	}

	synchronized CompatibilityLevel effectiveLevel(String subject) {
		return this.subjectLevels.getOrDefault(subject, this.globalLevel);
	}

	/**
	 * A schema known by id.
	 *
	 * @param id the id
	 * @param canonical the canonical JSON text
	 * @param schema the parsed schema
	 */
	record StoredSchema(int id, String canonical, Schema schema) {

	}

	/**
	 * One version of a subject.
	 *
	 * @param subject the subject
	 * @param version the version number
	 * @param id the schema id
	 * @param deleted whether it was soft-deleted
	 * @param recordKey the key of the log record that registered it
	 */
	record SubjectVersion(String subject, int version, int id, boolean deleted, String recordKey) {

		SubjectVersion asDeleted() {
			return new SubjectVersion(this.subject, this.version, this.id, true, this.recordKey);
		}

	}

}
