package org.hotline.dispatch.repository;

import java.util.List;
import java.util.UUID;

import org.hotline.dispatch.model.ExtensionRequest;

import jakarta.enterprise.context.ApplicationScoped;

/** Extension requests (延期). */
@ApplicationScoped
public class ExtensionRepository {

    /** Where an extension request belongs: its ticket and the ticket's street. */
    public record Place(UUID ticketId, String street) {
    }

    public ExtensionRequest find(UUID id) {
        return ExtensionRequest.findById(id);
    }

    /** The request's ticket and street, read as plain values (null: no such request). */
    public Place place(UUID extensionId) {
        List<Object[]> row = ExtensionRequest.getEntityManager().createQuery("select e.ticketId, t.street "
                + "from ExtensionRequest e, DispatchTicket t where e.id = ?1 and t.id = e.ticketId", Object[].class)
                .setParameter(1, extensionId).getResultList();
        return row.isEmpty() ? null : new Place((UUID) row.get(0)[0], (String) row.get(0)[1]);
    }

    public List<ExtensionRequest> ofTicket(UUID ticketId) {
        return ExtensionRequest.list("ticketId = ?1 order by requestedAt", ticketId);
    }

    public List<ExtensionRequest> pending(UUID ticketId) {
        return ExtensionRequest.list("ticketId = ?1 and status = ?2", ticketId, ExtensionRequest.Status.PENDING);
    }

    public boolean pending(UUID ticketId, String stage) {
        return ExtensionRequest.count("ticketId = ?1 and stage = ?2 and status = ?3", ticketId, stage,
                ExtensionRequest.Status.PENDING) > 0;
    }
}
