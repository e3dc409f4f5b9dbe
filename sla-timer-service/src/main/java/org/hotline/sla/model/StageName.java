package org.hotline.sla.model;

/** The stages a policy can put on a clock (13830: respond, dispatch+contact, on scene, resolve). */
public enum StageName {
    /** 签收/受理: the command room takes the ticket. */
    RESPOND,
    /** 派单并联系群众: dispatched and the caller contacted. */
    DISPATCH_CONTACT,
    /** 到场: the field team reports arrival. */
    ON_SCENE,
    /** 办结: resolved and closed. */
    RESOLVE
}
