using System.Reflection;

namespace Metrix.Tests.Support;

/// <summary>
/// What every database client does with a bad setting: refuses it where it is set, naming the
/// setting, and keeps the value it had. Each package's tests run this for its clients.
/// </summary>
public static class ClientSettingRules
{
    /// <summary>The settings every client has, each with a value it must refuse.</summary>
    public static readonly (string Setting, object? Bad)[] Common =
    [
        ("ConnectTimeout", TimeSpan.Zero),
        ("ReconnectDelay", TimeSpan.FromSeconds(-1)),
        ("MaxReconnectDelay", TimeSpan.Zero),
        ("SendTimeout", TimeSpan.FromTicks(-1)),
        ("DisposeTimeout", TimeSpan.FromTicks(-1)),
        ("BufferCapacity", 0),
        ("Logger", null),
        ("TimeProvider", null),
    ];

    public static void Every_bad_setting_is_refused_where_it_is_set_and_changes_nothing(Func<ITsdbClient> create, params (string Setting, object? Bad)[] more)
    {
        foreach (var (setting, bad) in Common.Concat(more))
        {
            var client = create();
            var property = client.GetType().GetProperty(setting) ?? throw new InvalidOperationException($"{client.GetType().Name} has no setting {setting}.");
            var before = property.GetValue(client);

            // Init-only setters are ordinary setters to reflection: this is what an initializer calls.
            FluentActions.Invoking(() => property.SetValue(client, bad))
                .Should().Throw<TargetInvocationException>($"{client.GetType().Name}.{setting} = {bad ?? "null"} must be refused")
                .WithInnerException<ArgumentException>().Which.ParamName.Should().Be(setting);
            property.GetValue(client).Should().Be(before, "a refused setting changes nothing");
        }
    }
}
