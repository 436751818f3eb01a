package com.onemusic.privacy.sharing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import com.onemusic.privacy.sharing.webhook.StandardWebhooks;

/**
 * A partner over real HTTP: receives deletion webhooks, checks their signature with the
 * secret it was given, and answers what the test scripted (200 unless told otherwise).
 */
final class PartnerStub implements AutoCloseable {

	private final HttpServer server;

	private final String webhookSecret;

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private final Deque<Answer> script = new ConcurrentLinkedDeque<>();

	private final AtomicInteger inFlight = new AtomicInteger();

	private volatile int maxInFlight;

	PartnerStub(String webhookSecret) throws IOException {
		this.webhookSecret = webhookSecret;
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/webhooks/deletion", this::handle);
		this.server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
		this.server.start();
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/webhooks/deletion";
	}

	/** Answers the next request with a status (and a Retry-After when not null). */
	void answerNext(int status, String retryAfter) {
		answerNext(status, retryAfter, Duration.ZERO);
	}

	/** Answers the next request with a status, only after holding it for a while. */
	void answerNext(int status, String retryAfter, Duration delay) {
		this.script.addLast(new Answer(status, retryAfter, delay));
	}

	List<Received> received() {
		return new ArrayList<>(this.received);
	}

	int maxInFlight() {
		return this.maxInFlight;
	}

	private void handle(HttpExchange exchange) throws IOException {
		int now = this.inFlight.incrementAndGet();
		this.maxInFlight = Math.max(this.maxInFlight, now);
		try (InputStream in = exchange.getRequestBody()) {
			byte[] body = in.readAllBytes();
			String id = exchange.getRequestHeaders().getFirst(StandardWebhooks.ID);
			String timestamp = exchange.getRequestHeaders().getFirst(StandardWebhooks.TIMESTAMP);
			String signature = exchange.getRequestHeaders().getFirst(StandardWebhooks.SIGNATURE);
			StandardWebhooks.Verdict verdict = StandardWebhooks.verify(List.of(this.webhookSecret), id, timestamp,
					signature, body, Instant.now(), Duration.ofMinutes(5));
			Answer answer = this.script.pollFirst();
			int status = (verdict != StandardWebhooks.Verdict.VALID) ? 401 : (answer != null) ? answer.status() : 200;
			this.received.add(new Received(id, timestamp, signature,
					new String(body, java.nio.charset.StandardCharsets.UTF_8), verdict, status, Instant.now()));
			if (answer != null && !answer.delay().isZero()) {
				Thread.sleep(answer.delay().toMillis());
			}
			if (answer != null && answer.retryAfter() != null) {
				exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
			}
			exchange.sendResponseHeaders(status, -1);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.inFlight.decrementAndGet();
			exchange.close();
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	record Answer(int status, String retryAfter, Duration delay) {

	}

	/**
	 * One webhook as the partner received it.
	 */
	record Received(String id, String timestamp, String signature, String body, StandardWebhooks.Verdict verdict,
			int answered, Instant at) {

	}

}
