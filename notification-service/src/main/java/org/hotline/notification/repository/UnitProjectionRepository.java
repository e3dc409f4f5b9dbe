package org.hotline.notification.repository;

import org.hotline.notification.model.UnitProjection;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** The units as unit.updated last described them, by unit id. */
@ApplicationScoped
public class UnitProjectionRepository implements PanacheRepositoryBase<UnitProjection, String> {
}
