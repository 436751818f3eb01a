package com.onemusic.privacy.dsr;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.onemusic.privacy.testsupport.ServiceIntegrationTest;
import com.onemusic.privacy.testsupport.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Log lines never hold personal data or credentials. A busy scenario (requests with phone
 * numbers, email addresses and identity numbers, one-time codes sent and guessed wrong,
 * tokens in headers) runs while everything written to the console is captured; the log is
 * then scanned for every raw value the scenario used. A line that quotes them on purpose,
 * with an exception, shows that the scan sees what the services log.
 */
@ServiceIntegrationTest(properties = "spring.config.name=" + DsrServiceApplication.NAME)
@Import(DsrTestConfiguration.class)
class LogScanTests {

	private static final String PHONE = "13912345678";

	private static final String EMAIL = "zhang.wei@example.cn";

	private static final String RESIDENT_ID = "11010519491231002X";

	private static final String IMEI = "490154203237518";

	@Autowired
	private WebTestClient web;

	@Test
	void theLogHoldsNoneOfThePersonalDataOrTokensOfABusyScenario() {
		String token = TestTokens.all();
		ByteArrayOutputStream captured = new ByteArrayOutputStream();
		PrintStream out = System.out;
		PrintStream err = System.err;
		System.setOut(new PrintStream(new Tee(out, captured), true, StandardCharsets.UTF_8));
		System.setErr(new PrintStream(new Tee(err, captured), true, StandardCharsets.UTF_8));
		try {
			for (int i = 0; i < 10; i++) {
				String user = "u-" + UUID.randomUUID();
				Map<String, Object> body = new HashMap<>();
				body.put("userId", user);
				body.put("type", (i % 2 == 0) ? "RECTIFICATION" : "ACCESS");
				body.put("channel", "APP");
				body.put("details", "请把手机号改为 " + PHONE + "，身份证 " + RESIDENT_ID + "，邮箱 " + EMAIL);
				body.put("contact",
						Map.of("kind", (i % 2 == 0) ? "SMS" : "EMAIL", "address", (i % 2 == 0) ? PHONE : EMAIL));
				String id = (String) this.web.post()
					.uri("/requests")
					.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(token))
					.bodyValue(body)
					.exchange()
					.expectStatus()
					.is2xxSuccessful()
					.expectBody(Map.class)
					.returnResult()
					.getResponseBody()
					.get("id");
				this.web.post()
					.uri("/requests/{id}/verification", id)
					.bodyValue(Map.of("code", "000000"))
					.exchange()
					.expectStatus()
					.is4xxClientError();
				this.web.get().uri("/requests?userId={user}", user).exchange().expectStatus().isOk();
			}
			// A bad token is refused; the refusal is logged nowhere with the token in it.
			this.web.get()
				.uri("/requests")
				.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.expired()))
				.exchange()
				.expectStatus()
				.isUnauthorized();
			LoggerFactory.getLogger("log-scan")
				.warn("Quoted on purpose: phone {}, id {}, email {}, device {}, token Bearer {}", PHONE, RESIDENT_ID,
						EMAIL, IMEI, token, new IllegalStateException("contact " + PHONE + " refused"));
		}
		finally {
			System.setOut(out);
			System.setErr(err);
		}
		String log = captured.toString(StandardCharsets.UTF_8);
		assertThat(log).as("the capture sees the services' log")
			.contains("Quoted on purpose", "IllegalStateException: contact");
		assertThat(log).as("the masked forms are there instead").contains("139****5678");
		for (String raw : List.of(PHONE, EMAIL, RESIDENT_ID, IMEI, token, token.substring(0, 40))) {
			assertThat(log).as("the log holds no raw %s", raw.substring(0, Math.min(12, raw.length())))
				.doesNotContain(raw);
		}
	}

	/** Writes to the console and to the capture. */
	private static final class Tee extends OutputStream {

		private final OutputStream first;

		private final OutputStream second;

		Tee(OutputStream first, OutputStream second) {
			this.first = first;
			this.second = second;
		}

		@Override
		public void write(int b) throws java.io.IOException {
			this.first.write(b);
			synchronized (this.second) {
				this.second.write(b);
			}
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws java.io.IOException {
			this.first.write(bytes, offset, length);
			synchronized (this.second) {
				this.second.write(bytes, offset, length);
			}
		}

	}

}
