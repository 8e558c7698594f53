{{/* Chart name, truncated to 63 characters (a DNS label). */}}
{{- define "landlord.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: RELEASE-landlord unless the release name already contains it. */}}
{{- define "landlord.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* name-version for the helm.sh/chart label. */}}
{{- define "landlord.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "landlord.labels" -}}
helm.sh/chart: {{ include "landlord.chart" . }}
{{ include "landlord.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: landlord
{{- end }}

{{/* Labels that select the operator pods; never change them (Deployment selectors are immutable). */}}
{{- define "landlord.selectorLabels" -}}
app.kubernetes.io/name: {{ include "landlord.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{/* The ServiceAccount the operator runs as. */}}
{{- define "landlord.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "landlord.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The operator image reference. */}}
{{- define "landlord.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* Name of the webhook Service, Secret and configurations. */}}
{{- define "landlord.webhookName" -}}
{{- printf "%s-webhook" (include "landlord.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Secret holding the webhook serving certificate (tls.crt, tls.key, ca.crt). */}}
{{- define "landlord.webhookCertSecret" -}}
{{- printf "%s-webhook-cert" (include "landlord.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The webhook certificate, generated once per release: on upgrade the existing
Secret is reused (lookup) so the CA bundle in the webhook configurations stays
valid. Returns a dict {ca, crt, key} of base64 PEM. With `helm template` lookup
returns nothing and a fresh pair is generated (fine for a dry run).
Memoised in .Values so the Secret and both configurations see the same CA.
*/}}
{{- define "landlord.webhookCert" -}}
{{- if not (hasKey .Values "__webhookCert") }}
{{- $secretName := include "landlord.webhookCertSecret" . }}
{{- $existing := lookup "v1" "Secret" .Release.Namespace $secretName }}
{{- $cert := dict }}
{{- if and $existing (index $existing "data") (index $existing.data "ca.crt") }}
{{- $_ := set $cert "ca" (index $existing.data "ca.crt") }}
{{- $_ := set $cert "crt" (index $existing.data "tls.crt") }}
{{- $_ := set $cert "key" (index $existing.data "tls.key") }}
{{- else }}
{{- $svc := include "landlord.webhookName" . }}
{{- $ns := .Release.Namespace }}
{{- $days := int .Values.webhook.certValidityDays }}
{{- $ca := genCA (printf "%s-ca" $svc) $days }}
{{- $dns := list $svc (printf "%s.%s" $svc $ns) (printf "%s.%s.svc" $svc $ns) (printf "%s.%s.svc.cluster.local" $svc $ns) }}
{{- $leaf := genSignedCert (printf "%s.%s.svc" $svc $ns) nil $dns $days $ca }}
{{- $_ := set $cert "ca" ($ca.Cert | b64enc) }}
{{- $_ := set $cert "crt" ($leaf.Cert | b64enc) }}
{{- $_ := set $cert "key" ($leaf.Key | b64enc) }}
{{- end }}
{{- $_ := set .Values "__webhookCert" $cert }}
{{- end }}
{{- toJson (index .Values "__webhookCert") }}
{{- end }}

{{/* The clientConfig of a webhook: the URL override, or the Service. */}}
{{- define "landlord.webhookClientConfig" -}}
{{- $root := index . 0 }}
{{- $path := index . 1 }}
{{- if $root.Values.webhook.url }}
url: {{ printf "%s%s" (trimSuffix "/" $root.Values.webhook.url) $path | quote }}
{{- with $root.Values.webhook.caBundle }}
caBundle: {{ . }}
{{- end }}
{{- else }}
service:
  name: {{ include "landlord.webhookName" $root }}
  namespace: {{ $root.Release.Namespace }}
  path: {{ $path }}
  port: 443
{{- if not $root.Values.certManager.enabled }}
caBundle: {{ (include "landlord.webhookCert" $root | fromJson).ca }}
{{- end }}
{{- end }}
{{- end }}

{{/* True when the chart itself provides the webhook certificate Secret. */}}
{{- define "landlord.chartManagesCert" -}}
{{- if and .Values.webhook.enabled (not .Values.webhook.url) (not .Values.certManager.enabled) }}true{{ end }}
{{- end }}
