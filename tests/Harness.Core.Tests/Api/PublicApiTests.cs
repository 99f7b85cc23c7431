using System.Reflection;
using System.Text;
using Harness.Core.Project;
using Harness.TestKit;

namespace Harness.Core.Tests.Api;

/// <summary>
/// What a third party may call in Harness.Core: the open project and its options and results. Any
/// change to it shows here as a diff of Golden/Harness.Core.api.txt; make one on purpose (run once
/// with HARNESS_UPDATE_GOLDEN=1 and review). Everything else is internal; the fronts are friends.
/// </summary>
public class PublicApiTests
{
    [Fact]
    public void The_public_api_is_the_baseline()
    {
        var api = Describe(typeof(HarnessProject).Assembly);

        Assert.Equal(GoldenFile.Expected("Harness.Core.api.txt", api), api);
    }

    [Fact]
    public void The_public_api_stays_small()
    {
        var types = typeof(HarnessProject).Assembly.GetExportedTypes();

        // Before the one-project issue: 148 public types, ~95 of which no front used.
        Assert.InRange(types.Length, 1, 70);
    }

    private static string Describe(Assembly assembly)
    {
        var text = new StringBuilder();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            text.Append(Kind(type)).Append(' ').Append(Name(type));
            if (type.BaseType is { } baseType && baseType != typeof(object) && baseType != typeof(ValueType) && baseType != typeof(Enum))
            {
                text.Append(" : ").Append(Name(baseType));
            }

            text.Append('\n');
            if (type.IsEnum)
            {
                foreach (var name in Enum.GetNames(type))
                {
                    text.Append("  ").Append(name).Append('\n');
                }

                continue;
            }

            foreach (var member in Members(type))
            {
                text.Append("  ").Append(member).Append('\n');
            }
        }

        return text.ToString();
    }

    private static IEnumerable<string> Members(Type type)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var members = new List<string>();
        foreach (var c in type.GetConstructors(flags))
        {
            members.Add($"ctor({Parameters(c)})");
        }

        foreach (var p in type.GetProperties(flags))
        {
            var accessors = (p.GetMethod?.IsPublic == true ? "get; " : "") + (p.SetMethod?.IsPublic == true ? (IsInitOnly(p.SetMethod) ? "init; " : "set; ") : "");
            members.Add($"{(IsStatic(p) ? "static " : "")}{Name(p.PropertyType)} {p.Name} {{ {accessors}}}");
        }

        foreach (var f in type.GetFields(flags))
        {
            members.Add($"{(f.IsLiteral ? "const " : f.IsStatic ? "static " : "")}{(f.IsInitOnly ? "readonly " : "")}{Name(f.FieldType)} {f.Name}");
        }

        foreach (var m in type.GetMethods(flags).Where(m => !m.IsSpecialName))
        {
            // Compiler-made members of records (equality, cloning, printing) are not API decisions.
            if (m.Name is "<Clone>$" or "PrintMembers" or "Deconstruct" || (m.Name is "Equals" or "GetHashCode" or "ToString" && m.IsVirtual))
            {
                continue;
            }

            members.Add($"{(m.IsStatic ? "static " : "")}{Name(m.ReturnType)} {m.Name}{Generics(m)}({Parameters(m)})");
        }

        foreach (var e in type.GetEvents(flags))
        {
            members.Add($"event {Name(e.EventHandlerType!)} {e.Name}");
        }

        return members.Order(StringComparer.Ordinal);
    }

    private static bool IsStatic(PropertyInfo p) => (p.GetMethod ?? p.SetMethod)?.IsStatic == true;

    private static bool IsInitOnly(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.FullName == "System.Runtime.CompilerServices.IsExternalInit");

    private static string Kind(Type t) =>
        t.IsEnum ? "enum" : t.IsInterface ? "interface" : t.IsValueType ? "struct" : t.IsAbstract && t.IsSealed ? "static class" : t.IsSealed ? "sealed class" : "class";

    private static string Generics(MethodInfo m) => m.IsGenericMethodDefinition ? $"<{string.Join(", ", m.GetGenericArguments().Select(a => a.Name))}>" : "";

    private static string Parameters(MethodBase m) =>
        string.Join(", ", m.GetParameters().Select(p => $"{Name(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? " = " + (p.DefaultValue ?? "null") : "")}"));

    private static string Name(Type t)
    {
        if (t.IsGenericParameter)
        {
            return t.Name;
        }

        if (Nullable.GetUnderlyingType(t) is { } inner)
        {
            return Name(inner) + "?";
        }

        if (t.IsArray)
        {
            return Name(t.GetElementType()!) + "[]";
        }

        if (t.IsByRef)
        {
            return "ref " + Name(t.GetElementType()!);
        }

        var name = t.IsNested ? Name(t.DeclaringType!) + "." + t.Name : t.FullName ?? t.Name;
        if (t.IsGenericType)
        {
            name = (t.IsNested ? Name(t.DeclaringType!) + "." + t.Name : t.Namespace + "." + t.Name)[..^2].TrimEnd('`');
            var tick = name.IndexOf('`');
            name = tick >= 0 ? name[..tick] : name;
            name += "<" + string.Join(", ", t.GetGenericArguments().Select(Name)) + ">";
        }

        return name;
    }
}
