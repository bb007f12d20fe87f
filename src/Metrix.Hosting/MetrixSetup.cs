namespace Metrix.Hosting;

/// <summary>
/// One <c>AddMetrix</c> call's configuration of the application's coordinator. Every call adds one;
/// the coordinator applies them all, in the order the calls were made, when it is created.
/// </summary>
internal sealed class MetrixSetup(Action<IServiceProvider, MCoordinator> configure)
{
    public void Apply(IServiceProvider services, MCoordinator coordinator) => configure(services, coordinator);
}
