package com.onemusic.privacy.platform.logging;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.slf4j.LoggerFactory;

/**
 * Commons Logging, through which Spring and Spring Security log, over SLF4J, asking SLF4J
 * whether a level is enabled before a message becomes a string. The SLF4J adapter Commons
 * Logging picks on its own renders every message first (its {@code String.valueOf}) and
 * lets SLF4J drop it afterwards, which defeats Spring's lazily formatted messages: Spring
 * Security's request matchers build one debug message per matcher and request, with the
 * matcher's description, whether debug is on or not. Registered in
 * {@code META-INF/services/org.apache.commons.logging.LogFactory}, which Commons Logging
 * consults before it looks for SLF4J itself.
 */
public final class LevelCheckingLogFactory extends LogFactory {

	private final ConcurrentMap<String, Log> logs = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, Object> attributes = new ConcurrentHashMap<>();

	@Override
	public Log getInstance(Class<?> clazz) {
		return getInstance(clazz.getName());
	}

	@Override
	public Log getInstance(String name) {
		return this.logs.computeIfAbsent(name, (key) -> new Slf4jLog(LoggerFactory.getLogger(key)));
	}

	@Override
	public void release() {
		this.logs.clear();
	}

	@Override
	public Object getAttribute(String name) {
		return this.attributes.get(name);
	}

	@Override
	public String[] getAttributeNames() {
		return this.attributes.keySet().toArray(String[]::new);
	}

	@Override
	public void removeAttribute(String name) {
		this.attributes.remove(name);
	}

	@Override
	public void setAttribute(String name, Object value) {
		if (value == null) {
			this.attributes.remove(name);
		}
		else {
			this.attributes.put(name, value);
		}
	}

}
