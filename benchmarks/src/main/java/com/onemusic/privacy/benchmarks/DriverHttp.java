package com.onemusic.privacy.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * How the load drivers send their requests: JSON bodies, with the benchmark's
 * Authorization header. {@link PlainHttp} by default; {@code -Dclient=jdk} uses the JDK's
 * {@code HttpClient} instead, to compare what each costs on the shared cores.
 */
interface DriverHttp extends AutoCloseable {

	/**
	 * The client the benchmarks use for a server, with the token of the service started
	 * last ({@link InProcess#authorization()}).
	 * @param baseUrl {@code http://host:port}
	 * @return the client
	 */
	static DriverHttp of(String baseUrl) {
		String client = System.getProperty("client", "plain");
		String authorization = InProcess.authorization();
		return switch (client) {
			case "plain" -> new PlainHttp(baseUrl, authorization);
			case "jdk" -> new Jdk(baseUrl, authorization);
			default -> throw new IllegalArgumentException("-Dclient must be plain or jdk, not " + client);
		};
	}

	/**
	 * Sends a request with a JSON body and reads the whole answer.
	 * @param method the method
	 * @param path the path, and query if any
	 * @param json the body
	 * @return the answer
	 * @throws IOException when the exchange fails
	 * @throws InterruptedException when interrupted
	 */
	Response send(String method, String path, String json) throws IOException, InterruptedException;

	@Override
	void close();

	/**
	 * An answer.
	 *
	 * @param status the status code
	 * @param body the body
	 */
	record Response(int status, String body) {

	}

	/** The JDK's client. */
	final class Jdk implements DriverHttp {

		private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

		private final String baseUrl;

		private final String authorization;

		Jdk(String baseUrl, String authorization) {
			this.baseUrl = baseUrl;
			this.authorization = authorization;
		}

		@Override
		public Response send(String method, String path, String json) throws IOException, InterruptedException {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
				.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(json));
			if (!this.authorization.isEmpty()) {
				request.header("Authorization", this.authorization);
			}
			HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body());
		}

		@Override
		public void close() {
			// Its connections end with the JVM.
		}

	}

}
