{{/* The prefix of every object of this release. */}}
{{- define "privacy.fullname" -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels every object carries; a component's objects add its selector labels. */}}
{{- define "privacy.labels" -}}
app.kubernetes.io/part-of: onemusic-privacy
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Labels of an object that belongs to no one component. */}}
{{- define "privacy.releaseLabels" -}}
{{ include "privacy.labels" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Selector labels of one component: (dict "root" $ "component" "consent-service"). */}}
{{- define "privacy.selector" -}}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/name: {{ .component }}
{{- end -}}

{{/* The Kafka bootstrap address Strimzi gives the cluster's plain internal listener. */}}
{{- define "privacy.kafkaBootstrap" -}}
{{- printf "%s-kafka-bootstrap:9092" .Values.kafka.name -}}
{{- end -}}

{{- define "privacy.registryUrl" -}}
{{- printf "http://%s-schema-registry:%v" (include "privacy.fullname" .) .Values.schemaRegistry.port -}}
{{- end -}}

{{/* The MongoDB hosts of the replica set, comma separated. */}}
{{- define "privacy.mongoHosts" -}}
{{- $name := printf "%s-mongodb" (include "privacy.fullname" .) -}}
{{- $hosts := list -}}
{{- range $i := until (int .Values.mongodb.members) -}}
{{- $hosts = append $hosts (printf "%s-%d.%s:27017" $name $i $name) -}}
{{- end -}}
{{- join "," $hosts -}}
{{- end -}}

{{/* A MongoDB user name for a service: its name without dashes. */}}
{{- define "privacy.mongoUser" -}}
{{- . | replace "-" "" -}}
{{- end -}}

{{/* The container security context of every container of the chart. */}}
{{- define "privacy.containerSecurity" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: [ALL]
{{- end -}}

{{/*
A generated secret value, as a Secret's data holds it: a base64 key of 32 random characters,
or a password of letters and digits (safe inside a connection string). Generated Secrets
are rendered on install only and kept by Helm afterwards (see privacy.keptSecret), so an
upgrade never replaces a key. (dict "kind" "key"|"password")
*/}}
{{- define "privacy.generated" -}}
{{- if eq .kind "password" -}}
{{- randAlphaNum 32 | b64enc -}}
{{- else -}}
{{- randAscii 32 | b64enc | b64enc -}}
{{- end -}}
{{- end -}}

{{/* Whether the chart renders its generated Secrets now: on install, when asked to. */}}
{{- define "privacy.createSecrets" -}}
{{- if and .Values.secrets.create .Release.IsInstall -}}true{{- end -}}
{{- end -}}
