using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Harness.PowerShell.Tests;

internal sealed record ParameterShape(
    string Name,
    string Type,
    bool Mandatory,
    int? Position,
    bool ByValue,
    bool ByPropertyName,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> Completers);

internal sealed record CmdletShape(
    string TypeName,
    string Verb,
    string Noun,
    bool SupportsShouldProcess,
    int? ConfirmImpact,
    string? DefaultParameterSet,
    IReadOnlyList<string> OutputTypes,
    IReadOnlyList<ParameterShape> Parameters)
{
    public string Name => $"{Verb}-{Noun}";
}

/// <summary>
/// What the built assemblies declare, read with System.Reflection.Metadata: nothing is loaded,
/// so the reference-only System.Management.Automation is never needed at run time.
/// </summary>
internal static class ModuleMetadata
{
    private const string Sma = "System.Management.Automation.";

    public static IReadOnlyList<CmdletShape> Cmdlets(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var reader = pe.GetMetadataReader();
        var provider = new NameProvider();
        var result = new List<CmdletShape>();
        foreach (var handle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(handle);
            var attributes = Attributes(reader, type.GetCustomAttributes(), provider);
            if (attributes.FirstOrDefault(a => a.Type == Sma + "CmdletAttribute") is not { } cmdlet)
            {
                continue;
            }

            var parameters = new List<ParameterShape>();
            for (var current = (TypeDefinitionHandle?)handle; current is { } h; current = BaseInSameAssembly(reader, h))
            {
                var def = reader.GetTypeDefinition(h);
                foreach (var propHandle in def.GetProperties())
                {
                    var prop = reader.GetPropertyDefinition(propHandle);
                    var propAttributes = Attributes(reader, prop.GetCustomAttributes(), provider);
                    var parameter = propAttributes.FirstOrDefault(a => a.Type == Sma + "ParameterAttribute");
                    if (parameter is null)
                    {
                        continue;
                    }

                    parameters.Add(new ParameterShape(
                        reader.GetString(prop.Name),
                        prop.DecodeSignature(provider, null).ReturnType,
                        parameter.Named<bool>("Mandatory"),
                        parameter.NamedArguments.ContainsKey("Position") ? parameter.Named<int>("Position") : null,
                        parameter.Named<bool>("ValueFromPipeline"),
                        parameter.Named<bool>("ValueFromPipelineByPropertyName"),
                        propAttributes.Where(a => a.Type == Sma + "AliasAttribute").SelectMany(a => a.FixedStrings()).ToArray(),
                        propAttributes.Where(a => a.Type == Sma + "ArgumentCompleterAttribute").SelectMany(a => a.FixedStrings()).ToArray()));
                }
            }

            result.Add(new CmdletShape(
                FullName(reader, type),
                (string)cmdlet.Fixed[0]!,
                (string)cmdlet.Fixed[1]!,
                cmdlet.Named<bool>("SupportsShouldProcess"),
                cmdlet.NamedArguments.TryGetValue("ConfirmImpact", out var impact) ? (int?)impact : null,
                cmdlet.NamedArguments.TryGetValue("DefaultParameterSetName", out var set) ? (string?)set : null,
                attributes.Where(a => a.Type == Sma + "OutputTypeAttribute").SelectMany(a => a.FixedStrings()).ToArray(),
                parameters));
        }

        return result;
    }

    /// <summary>Full names of the public types an assembly defines.</summary>
    public static Dictionary<string, IReadOnlySet<string>> PublicTypesWithProperties(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var reader = pe.GetMetadataReader();
        var result = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        foreach (var handle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(handle);
            var visibility = type.Attributes & TypeAttributes.VisibilityMask;
            if (visibility is not (TypeAttributes.Public or TypeAttributes.NestedPublic))
            {
                continue;
            }

            result[FullName(reader, type)] = type.GetProperties().Select(p => reader.GetString(reader.GetPropertyDefinition(p).Name)).ToHashSet(StringComparer.Ordinal);
        }

        return result;
    }

    public static Version AssemblyVersion(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        return pe.GetMetadataReader().GetAssemblyDefinition().Version;
    }

    public static IReadOnlyList<string> AssemblyReferences(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var reader = pe.GetMetadataReader();
        return reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name)).ToArray();
    }

    /// <summary>The values of the public const string fields of the public types named <paramref name="typePrefix"/>*.</summary>
    public static IReadOnlyList<(string Type, string Value)> ConstStrings(string assemblyPath, string typePrefix)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var reader = pe.GetMetadataReader();
        var result = new List<(string, string)>();
        foreach (var handle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(handle);
            var name = FullName(reader, type);
            if (!name.StartsWith(typePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var fieldHandle in type.GetFields())
            {
                var field = reader.GetFieldDefinition(fieldHandle);
                if ((field.Attributes & FieldAttributes.Literal) == 0 || field.GetDefaultValue().IsNil)
                {
                    continue;
                }

                var constant = reader.GetConstant(field.GetDefaultValue());
                if (constant.TypeCode == ConstantTypeCode.String)
                {
                    result.Add((name, reader.GetBlobReader(constant.Value).ReadUTF16(reader.GetBlobReader(constant.Value).Length)));
                }
            }
        }

        return result;
    }

    private static TypeDefinitionHandle? BaseInSameAssembly(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var baseType = reader.GetTypeDefinition(handle).BaseType;
        return baseType.Kind == HandleKind.TypeDefinition ? (TypeDefinitionHandle)baseType : null;
    }

    internal static string FullName(MetadataReader reader, TypeDefinition type)
    {
        var name = reader.GetString(type.Name);
        if (type.IsNested)
        {
            return FullName(reader, reader.GetTypeDefinition(type.GetDeclaringType())) + "+" + name;
        }

        var ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    private static List<DecodedAttribute> Attributes(MetadataReader reader, CustomAttributeHandleCollection handles, NameProvider provider)
    {
        var result = new List<DecodedAttribute>();
        foreach (var handle in handles)
        {
            var attribute = reader.GetCustomAttribute(handle);
            string type;
            if (attribute.Constructor.Kind == HandleKind.MemberReference)
            {
                var ctor = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
                type = ctor.Parent.Kind == HandleKind.TypeReference
                    ? provider.GetTypeFromReference(reader, (TypeReferenceHandle)ctor.Parent, 0)
                    : "?";
            }
            else
            {
                var ctor = reader.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor);
                type = FullName(reader, reader.GetTypeDefinition(ctor.GetDeclaringType()));
            }

            var value = attribute.DecodeValue(provider);
            result.Add(new DecodedAttribute(
                type,
                value.FixedArguments.Select(a => a.Value).ToArray(),
                value.NamedArguments.ToDictionary(a => a.Name!, a => a.Value, StringComparer.Ordinal)));
        }

        return result;
    }

    internal sealed record DecodedAttribute(string Type, IReadOnlyList<object?> Fixed, IReadOnlyDictionary<string, object?> NamedArguments)
    {
        public T Named<T>(string name) where T : struct =>
            NamedArguments.TryGetValue(name, out var v) && v is T t ? t : default;

        /// <summary>Fixed string (or Type) arguments, flattening params arrays.</summary>
        public IEnumerable<string> FixedStrings()
        {
            foreach (var argument in Fixed)
            {
                switch (argument)
                {
                    case string s:
                        yield return s;
                        break;
                    case ImmutableArray<CustomAttributeTypedArgument<string>> array:
                        foreach (var item in array)
                        {
                            if (item.Value is string text)
                            {
                                yield return text;
                            }
                        }

                        break;
                }
            }
        }
    }

    /// <summary>Type names as strings, for attribute values and property signatures.</summary>
    private sealed class NameProvider : ICustomAttributeTypeProvider<string>, ISignatureTypeProvider<string, object?>
    {
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => "System." + typeCode;

        public string GetSystemType() => "System.Type";

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
            FullName(reader, reader.GetTypeDefinition(handle));

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
        {
            var reference = reader.GetTypeReference(handle);
            var name = reader.GetString(reference.Name);
            if (reference.ResolutionScope.Kind == HandleKind.TypeReference)
            {
                return GetTypeFromReference(reader, (TypeReferenceHandle)reference.ResolutionScope, rawTypeKind) + "+" + name;
            }

            var ns = reader.GetString(reference.Namespace);
            return ns.Length == 0 ? name : ns + "." + name;
        }

        /// <summary>typeof(X) arguments arrive assembly-qualified; keep the type's full name.</summary>
        public string GetTypeFromSerializedName(string name) => name.Split(',')[0].Trim();

        public PrimitiveTypeCode GetUnderlyingEnumType(string type) => PrimitiveTypeCode.Int32;

        public bool IsSystemType(string type) => type == "System.Type";

        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[" + new string(',', shape.Rank - 1) + "]";

        public string GetByReferenceType(string elementType) => elementType + "&";

        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) =>
            genericType + "[" + string.Join(",", typeArguments) + "]";

        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;

        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

        public string GetPinnedType(string elementType) => elementType;

        public string GetPointerType(string elementType) => elementType + "*";

        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
    }
}
