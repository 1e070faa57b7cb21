package io.sidecarinjector.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ClassDataTrainingTest {

    @Inject
    ClassDataTraining training;

    @TestHTTPResource("/")
    URI base;

    @Test
    void everyRequestOfTheTrainingIsAnsweredAsExpected() {
        assertEquals(0, training.run());
    }

    @Test
    void aNewPodAndItsReplicaAreInjectedAndAnOptedOutPodIsNot() throws Exception {
        byte[] pod = ClassDataTraining.review("t-1", ClassDataTraining.pod("app", "true"));
        byte[] optedOut = ClassDataTraining.review("t-2", ClassDataTraining.pod("app", "false"));
        assertNull(ClassDataTraining.Exchange.inject("new", pod, true).send(base));
        assertNull(ClassDataTraining.Exchange.inject("replica", pod, true).send(base));
        assertNull(ClassDataTraining.Exchange.inject("out", optedOut, false).send(base));
    }

    @Test
    void anAnswerOtherThanTheExpectedOneIsReported() throws Exception {
        byte[] pod = ClassDataTraining.review("t-3", ClassDataTraining.pod("app", "true"));
        byte[] optedOut = ClassDataTraining.review("t-4", ClassDataTraining.pod("app", "false"));
        byte[] broken = "{\"kind\":".getBytes(StandardCharsets.UTF_8);
        assertEquals(
                "an unexpected patch",
                ClassDataTraining.Exchange.inject("x", pod, false).send(base));
        assertEquals(
                "no patch",
                ClassDataTraining.Exchange.inject("x", optedOut, true).send(base));
        assertEquals(
                "status 400, expected 200",
                ClassDataTraining.Exchange.inject("x", broken, true).send(base));
        assertEquals(
                "status 404, expected 200",
                ClassDataTraining.Exchange.get("/no-such-path").send(base));
    }

    @Test
    void theRunIsAskedForByASystemProperty() {
        String before = System.getProperty(ClassDataTraining.PROPERTY);
        try {
            System.setProperty(ClassDataTraining.PROPERTY, "true");
            assertEquals(true, ClassDataTraining.requested());
            System.clearProperty(ClassDataTraining.PROPERTY);
            assertEquals(false, ClassDataTraining.requested());
        } finally {
            if (before != null) {
                System.setProperty(ClassDataTraining.PROPERTY, before);
            }
        }
    }
}
