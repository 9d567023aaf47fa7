package dev.postvault.store.events;

/** The in-process bus runs the contract every {@link ChangeBus} must meet. */
class LocalChangeBusTest implements ChangeBusContract {
    @Override
    public ChangeBus bus() {
        return new LocalChangeBus();
    }
}
