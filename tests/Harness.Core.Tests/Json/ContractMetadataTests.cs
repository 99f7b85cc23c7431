using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Harness.Core.Json;
using Harness.Core.State;

namespace Harness.Core.Tests.Json;

/// <summary>What the source-generated metadata must hold for every contract, checked over all of them at once.</summary>
public class ContractMetadataTests
{
    private static readonly HarnessJsonContext Context = HarnessJsonContext.Default;

    [Fact]
    public void No_enum_or_time_in_any_contract_is_left_to_the_serializers_own_format()
    {
        // The serializer would write an enum as a number and a time as "...+00:00"; the wire is names and UTC with milliseconds.
        var problems = new List<string>();
        var seen = new HashSet<Type>();
        foreach (var root in RootTypeInfos())
        {
            Walk(root, problems, seen);
        }

        Assert.True(seen.Count > 30, $"only {seen.Count} contract types were walked");
        Assert.Empty(problems);
    }

    [Fact]
    public void The_seeds_enums_read_and_write_as_the_wire_text_table_spells_them()
    {
        foreach (var state in Enum.GetValues<SessionState>())
        {
            Assert.Equal($"\"{WireText.Of(state)}\"", JsonSerializer.Serialize(state, Context.SessionState));
            Assert.Equal(state, JsonSerializer.Deserialize($"\"{WireText.Of(state)}\"", Context.SessionState));
        }

        foreach (var health in Enum.GetValues<HealthStatus>())
        {
            Assert.Equal($"\"{WireText.Of(health)}\"", JsonSerializer.Serialize(health, Context.HealthStatus));
        }

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("\"healthy\"", Context.HealthStatus));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("1", Context.HealthStatus));
    }

    private static IEnumerable<JsonTypeInfo> RootTypeInfos() =>
        typeof(HarnessJsonContext).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => typeof(JsonTypeInfo).IsAssignableFrom(p.PropertyType))
            .Select(p => (JsonTypeInfo)p.GetValue(Context)!);

    private static void Walk(JsonTypeInfo info, List<string> problems, HashSet<Type> seen)
    {
        if (!seen.Add(info.Type))
        {
            return;
        }

        foreach (var property in info.Properties)
        {
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (type.IsEnum || type == typeof(DateTimeOffset) || type == typeof(DateTime))
            {
                // A converter on a T? property is wrapped in the serializer's NullableConverter: look at the attribute then.
                var converter = (property.CustomConverter ?? Context.GetTypeInfo(type)!.Converter).GetType();
                if (converter.Name.StartsWith("NullableConverter", StringComparison.Ordinal))
                {
                    var member = info.Type.GetProperties().Single(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name) == property.Name);
                    converter = member.GetCustomAttribute<JsonConverterAttribute>()?.ConverterType
                        ?? type.GetCustomAttribute<JsonConverterAttribute>()?.ConverterType
                        ?? converter;
                }

                if (converter.Namespace != "Harness.Core.Json.Converters")
                {
                    problems.Add($"{info.Type.Name}.{property.Name} ({type.Name}) uses {converter.Name}");
                }
            }

            Walk(Context.GetTypeInfo(property.PropertyType)!, problems, seen);
        }

        if (info.Kind == JsonTypeInfoKind.Enumerable && info.Type.GetInterfaces().Append(info.Type)
                .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)) is { } enumerable)
        {
            Walk(Context.GetTypeInfo(enumerable.GetGenericArguments()[0])!, problems, seen);
        }
    }
}
