package org.hotline.notification.health;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.hotline.notification.service.DeliveryWorker;

import jakarta.enterprise.context.ApplicationScoped;

/** Live while the delivery worker's thread runs. */
@Liveness
@ApplicationScoped
public class DeliveryWorkerHealthCheck implements HealthCheck {

    private final DeliveryWorker worker;

    public DeliveryWorkerHealthCheck(DeliveryWorker worker) {
        this.worker = worker;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("notification-delivery-worker").status(worker.running())
                .withData("lastPass", String.valueOf(worker.lastPass())).build();
    }
}
