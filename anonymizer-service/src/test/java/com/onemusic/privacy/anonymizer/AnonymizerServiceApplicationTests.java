package com.onemusic.privacy.anonymizer;

import com.onemusic.privacy.testsupport.ServiceContractTests;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;

/**
 * anonymizer-service keeps the contract every service keeps (see
 * {@link ServiceContractTests}).
 */
@ServiceIntegrationTest(properties = "spring.config.name=" + AnonymizerServiceApplication.NAME)
class AnonymizerServiceApplicationTests extends ServiceContractTests {

}
