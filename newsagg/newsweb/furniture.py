"""Page furniture shared by the outlet templates: the texts a good extractor must drop.

Everything here is latin-1 encodable on purpose (no curly quotes or dashes), because some pages are served
as ISO-8859-1.
"""

from __future__ import annotations

LISTEN = {"es": "Escuchar la nota", "en": "Listen to the article"}

FACT_CHECKER_TITLE = "Fact Checker"
FACT_CHECKER = {
    "en": "Verify the accuracy of this article using The Disinformation Commission analysis and real-time sources.",
    "es": "Verifique la exactitud de este artículo con el análisis de la Comisión de Desinformación y fuentes "
    "en tiempo real.",
}

AD_LABEL = {"es": "Publicidad", "en": "Advertisement"}
ADS = {
    "es": [
        "Vuelos diarios a Miami desde USD 199 con AeroAndes. Reserve hoy y acumule millas.",
        "Abra su cuenta digital en Banco Pacífico en cinco minutos y sin comisiones.",
        "Ofertas de fin de mes en electrodomésticos: hasta 40% de descuento en Hogar Total.",
    ],
    "en": [
        "Refinance today: rates from 5.9% APR with Harbor Federal Credit Union.",
        "Winter getaway deals to Cartagena from $349 round trip. Book by Dec. 1.",
        "Switch to FiberLink home internet and get your first three months free.",
    ],
}

NEWSLETTER = {
    "es": (
        "Recibe las noticias más importantes del día",
        "Suscríbete gratis a nuestro boletín y recibe cada mañana un resumen en tu correo.",
        "Suscribirme",
    ),
    "en": (
        "Get the morning briefing",
        "Sign up for our free newsletter and start every weekday with the stories that matter.",
        "Sign up",
    ),
}

SHARE = {
    "es": ["Compartir en Facebook", "Compartir en X", "Enviar por WhatsApp", "Copiar enlace"],
    "en": ["Share on Facebook", "Share on X", "Share by email", "Copy link"],
}

RELATED_TITLE = {"es": "Noticias relacionadas", "en": "Related coverage"}
COMMENTS_TITLE = {"es": "{n} comentarios", "en": "{n} Comments"}
REPLY = {"es": "Responder", "en": "Reply"}

# Reader comments modelled on the captured page: near-duplicates of each other.
COMMENTS = {
    "en": [
        "Chile's President-elect seems eager to learn from El Salvador's security strategies, despite the "
        "concerns over human rights abuses. I hope they thoroughly evaluate the potential consequences before "
        "implementing similar policies.",
        "Addressing shared challenges through international cooperation can be valuable, but it's crucial that "
        "fundamental rights and democratic principles are upheld in the process.",
        "Chile's incoming administration is taking a proactive approach by seeking insights from El Salvador's "
        "controversial security model. It will be interesting to see how they adapt it to their own context.",
        "While addressing organized crime is important, human rights must be a top priority. I hope the "
        "discussion between the leaders focuses on finding a balanced and ethical approach.",
        "Interesting to see the far-right President-elect of Chile visiting El Salvador's controversial "
        "mega-prison. I'm curious to learn more about how he plans to adapt their security model to Chile's "
        "context.",
        "Implementing tough-on-crime policies often raises human rights concerns. I hope they carefully "
        "consider the implications before adopting such an approach.",
        "The visit to El Salvador's mega-prison by Chile's far-right President-elect raises some red flags. I "
        "hope they thoroughly evaluate the potential consequences before implementing similar policies.",
        "Security and crime prevention are complex issues. I'm curious to see what specific ideas and "
        "proposals the two leaders discuss to address these challenges.",
        "Cooperation between nations can be valuable, but I'm skeptical of Chile's far-right President-elect "
        "adopting El Salvador's controversial security model. Upholding human rights should be the top "
        "priority.",
        "It's important to find a balanced approach that effectively addresses organized crime and drug "
        "trafficking while also protecting civil liberties and due process. I hope the leaders consider this "
        "carefully.",
        "Cracking down on organized crime and drug trafficking is a priority for many Latin American leaders. "
        "Chile's incoming administration seems eager to learn from El Salvador's security model, despite the "
        "controversies.",
        "Cooperation between nations to address shared challenges can be valuable, but it's crucial that human "
        "rights and rule of law are upheld in the process.",
        "The visit to El Salvador's mega-prison by Chile's far-right President-elect is concerning. I hope they "
        "carefully consider the potential human rights implications before implementing similar policies in "
        "Chile.",
        "Security and crime prevention are complex issues that require nuanced solutions. I'm curious to see "
        "what specific ideas the two leaders exchange to address these challenges.",
    ],
    "es": [
        "El presidente electo de Chile parece ansioso por aprender de las estrategias de seguridad de El "
        "Salvador, pese a las denuncias de abusos a los derechos humanos. Ojalá evalúen a fondo las posibles "
        "consecuencias antes de aplicar políticas similares.",
        "Enfrentar desafíos comunes mediante la cooperación internacional puede ser valioso, pero es "
        "fundamental que se respeten los derechos básicos y los principios democráticos en el proceso.",
        "El próximo gobierno de Chile está siendo proactivo al buscar ideas en el polémico modelo de seguridad "
        "de El Salvador. Será interesante ver cómo lo adaptan a su propio contexto.",
        "Combatir el crimen organizado es importante, pero los derechos humanos deben ser una prioridad. Espero "
        "que la conversación entre los dos líderes busque un enfoque equilibrado y ético.",
        "Me llama la atención ver al presidente electo de ultraderecha de Chile visitando la polémica megacárcel "
        "de El Salvador. Quisiera saber más sobre cómo piensa adaptar ese modelo de seguridad a la realidad "
        "chilena.",
        "Las políticas de mano dura contra el crimen suelen generar preocupaciones de derechos humanos. Ojalá "
        "consideren con cuidado las consecuencias antes de adoptar un enfoque así.",
        "La visita del presidente electo de ultraderecha de Chile a la megacárcel de El Salvador enciende "
        "algunas alarmas. Ojalá evalúen a fondo las posibles consecuencias antes de aplicar políticas "
        "similares.",
        "La seguridad y la prevención del delito son temas complejos. Tengo curiosidad por saber qué ideas y "
        "propuestas concretas discuten los dos líderes para enfrentar estos desafíos.",
        "La cooperación entre países puede ser valiosa, pero tengo dudas sobre que el presidente electo de "
        "ultraderecha de Chile adopte el polémico modelo de seguridad salvadoreño. Respetar los derechos "
        "humanos debería ser la prioridad.",
        "Es importante encontrar un enfoque equilibrado que enfrente el crimen organizado y el narcotráfico y "
        "que al mismo tiempo proteja las libertades civiles y el debido proceso. Espero que los líderes lo "
        "piensen bien.",
        "Combatir el crimen organizado y el narcotráfico es una prioridad para muchos líderes "
        "latinoamericanos. El próximo gobierno de Chile parece ansioso por aprender del modelo de seguridad de "
        "El Salvador, pese a las polémicas.",
        "La cooperación entre países para enfrentar desafíos comunes puede ser valiosa, pero es fundamental que "
        "se respeten los derechos humanos y el Estado de derecho en el proceso.",
        "La visita del presidente electo de ultraderecha de Chile a la megacárcel de El Salvador es "
        "preocupante. Ojalá consideren con cuidado las posibles consecuencias para los derechos humanos antes "
        "de aplicar políticas similares en Chile.",
        "La seguridad y la prevención del delito son temas complejos que requieren soluciones matizadas. Tengo "
        "curiosidad por saber qué ideas concretas intercambian los dos líderes para enfrentar estos desafíos.",
    ],
}

COMMENTERS = {
    "en": [
        "Jordan M.",
        "Linda Park",
        "R. Castellanos",
        "mike_in_md",
        "Sarah W.",
        "Tom Becker",
        "Ana Lucia R.",
        "Greg H.",
        "Paula Ng",
        "Dave Kowalski",
        "Imani J.",
        "Chris O'Neal",
        "Luis F.",
        "Beth A.",
    ],
    "es": [
        "Rodrigo P.",
        "María José Castro",
        "juanca_77",
        "Patricia Núñez",
        "Felipe A.",
        "Carmen Lobo",
        "Luis Hernández",
        "Sofía R.",
        "Don Memo",
        "Andrés Salinas",
        "Gabriela M.",
        "ciudadano_libre",
        "Mónica Ayala",
        "Ernesto V.",
    ],
}

FOOTER = {
    "es": "Todos los derechos reservados. Prohibida su reproducción total o parcial sin autorización.",
    "en": "All rights reserved. This material may not be published, broadcast, rewritten or redistributed.",
}

PRIVACY = {
    "es": ["Términos y condiciones", "Política de privacidad", "Contacto", "Trabaja con nosotros"],
    "en": ["Terms of Use", "Privacy Policy", "Contact Us", "Careers"],
}
